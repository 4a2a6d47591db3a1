package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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

  private BinaryRequests() {}

  /** The event of a well-formed binary-mode 1.0 request; null for any other request. */
  static CloudEvent decode(MultiMap headers, Buffer body) {
    BinaryAttributes attributes = new BinaryAttributes();
    String contentType = null;
    for (Map.Entry<String, String> header : headers) {
      String key = header.getKey();
      String value = header.getValue();
      if (!key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        if (key.equalsIgnoreCase(CONTENT_TYPE)) {
          if (contentType != null) {
            return null;
          }
          contentType = value;
        }
        continue;
      }
      // HTTP binding §3.1.3.2: values are percent-encoded; one that holds a '%' takes the general path.
      if (value.indexOf('%') >= 0 || CloudEventStrings.problem(value).isPresent()
          || !attributes.put(key.substring(PREFIX.length()).toLowerCase(Locale.ROOT), value)) {
        return null;
      }
    }
    String subject = attributes.subject();
    String time = attributes.time();
    if (subject != null && subject.isEmpty() || contentType != null
        && (CloudEventStrings.problem(contentType).isPresent() || !AttributeRules.isMediaType(contentType))) {
      return null;
    }
    // The general path checks the time as RFC 3339 and has the SDK read it: both must take it.
    if (time != null) {
      try {
        OffsetDateTime.parse(time);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    CloudEvent event = attributes.event(contentType, body.getBytes());
    // The general path refuses a relative dataschema.
    return event == null || event.getDataSchema() != null && !event.getDataSchema().isAbsolute() ? null : event;
  }
}
