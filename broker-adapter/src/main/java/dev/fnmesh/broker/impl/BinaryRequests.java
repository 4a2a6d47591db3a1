package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.provider.CloudEventValidatorProvider;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.types.Time;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The common case of the HTTP binding on the ingress's hot path, without copying the headers and the SDK's
 * generic reader: a binary-mode CloudEvents 1.0 request whose attributes are all well formed and need no
 * percent-decoding, read in one pass over its headers. Everything else (another spec version, a {@code %}
 * in a value, a repeated or malformed attribute) is left to the general path, so that what is accepted and
 * how a bad request is refused stay exactly as they were.
 */
final class BinaryRequests {

  private static final String PREFIX = "ce-";
  private static final String CONTENT_TYPE = "content-type";
  // A topic's events mostly share a few sources and schemas: parse each text once.
  private static final RecentUris PARSED_URIS = new RecentUris(256);

  // Slots of the context attributes read from the headers.
  private static final int SPECVERSION = 0;
  private static final int ID = 1;
  private static final int SOURCE = 2;
  private static final int TYPE = 3;
  private static final int SUBJECT = 4;
  private static final int DATASCHEMA = 5;
  private static final int TIME = 6;
  private static final int ATTRIBUTES = 7;
  private static final int EXTENSION = ATTRIBUTES;

  private BinaryRequests() {}

  /** The event of a well-formed binary-mode 1.0 request; null for any other request. */
  static CloudEvent decode(MultiMap headers, Buffer body) {
    String[] attributes = new String[ATTRIBUTES];
    String contentType = null;
    Map<String, Object> extensions = null;
    for (Map.Entry<String, String> header : headers) {
      String key = header.getKey();
      String value = header.getValue();
      boolean attribute = key.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
      if (!attribute) {
        if (key.equalsIgnoreCase(CONTENT_TYPE)) {
          if (contentType != null) {
            return null;
          }
          contentType = value;
        }
        continue;
      }
      // HTTP binding §3.1.3.2: values are percent-encoded; one that holds a '%' takes the general path.
      if (value.indexOf('%') >= 0 || CloudEventStrings.problem(value).isPresent()) {
        return null;
      }
      String name = key.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
      int slot = switch (name) {
        case "specversion" -> SPECVERSION;
        case "id" -> ID;
        case "source" -> SOURCE;
        case "type" -> TYPE;
        case "subject" -> SUBJECT;
        case "dataschema" -> DATASCHEMA;
        case "time" -> TIME;
        // The binding carries it as Content-Type; a request with the header as well is the general path's.
        case "datacontenttype" -> -1;
        default -> EXTENSION;
      };
      if (slot == EXTENSION) {
        if (!AttributeRules.isValidName(name)) {
          return null;
        }
        if (extensions == null) {
          extensions = new HashMap<>(4);
        } else if (extensions.containsKey(name)) {
          return null;
        }
        extensions.put(name, value);
      } else if (slot < 0 || attributes[slot] != null) {
        return null;
      } else {
        attributes[slot] = value;
      }
    }
    String id = attributes[ID];
    String source = attributes[SOURCE];
    String type = attributes[TYPE];
    String subject = attributes[SUBJECT];
    String dataSchema = attributes[DATASCHEMA];
    String time = attributes[TIME];
    if (!SpecVersion.V1.toString().equals(attributes[SPECVERSION]) || id == null || id.isEmpty() || source == null
        || source.isEmpty() || type == null || type.isEmpty() || subject != null && subject.isEmpty()
        || contentType != null && (CloudEventStrings.problem(contentType).isPresent()
            || !AttributeRules.isMediaType(contentType))) {
      return null;
    }
    try {
      URI sourceUri = PARSED_URIS.parse(source);
      URI schemaUri = dataSchema == null ? null : PARSED_URIS.parse(dataSchema);
      if (schemaUri != null && !schemaUri.isAbsolute()) {
        return null;
      }
      // The general path checks the text as RFC 3339 and has the SDK read it: both must take it.
      OffsetDateTime timestamp = time == null ? null : Time.parseTime(time);
      if (time != null) {
        OffsetDateTime.parse(time);
      }
      CloudEvent event = new CloudEventV1(id, sourceUri, type, contentType, schemaUri, subject, timestamp,
          body.length() == 0 ? null : BytesCloudEventData.wrap(body.getBytes()),
          extensions == null ? Map.of() : extensions);
      // What the SDK's builder runs on every event it builds: the validators registered with it.
      CloudEventValidatorProvider.getInstance().validate(event);
      return event;
    } catch (Exception malformed) {
      return null;
    }
  }
}
