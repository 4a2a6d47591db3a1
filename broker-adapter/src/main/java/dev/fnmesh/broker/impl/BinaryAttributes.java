package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.provider.CloudEventValidatorProvider;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.types.Time;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The context attributes of one binary-mode event, collected header by header on the fast paths of the HTTP
 * and Kafka bindings ({@link BinaryRequests}, {@link BinaryRecords}), and the CloudEvents 1.0 event they make.
 * Whatever the fast path should not judge itself (a repeated attribute, an invalid extension name,
 * {@code datacontenttype} as an attribute header, a missing required attribute, a value the SDK would refuse)
 * makes it give up, so that the general path answers exactly as before.
 */
final class BinaryAttributes {

  // A topic's events mostly share a few sources and schemas: parsing one as a URI was a tenth of decoding.
  private static final RecentUris PARSED_URIS = new RecentUris(256);

  // Slots of the context attributes.
  private static final int SPECVERSION = 0;
  private static final int ID = 1;
  private static final int SOURCE = 2;
  private static final int TYPE = 3;
  private static final int SUBJECT = 4;
  private static final int DATASCHEMA = 5;
  private static final int TIME = 6;
  private static final int EXTENSION = 7;
  private static final int CONTENT_TYPE = -1;

  private final String[] attributes = new String[EXTENSION];
  private Map<String, Object> extensions;

  /**
   * Takes the attribute {@code name} (lower case, without the binding's prefix).
   *
   * @return false when the event is the general path's
   */
  boolean put(String name, String value) {
    int slot = switch (name) {
      case "specversion" -> SPECVERSION;
      case "id" -> ID;
      case "source" -> SOURCE;
      case "type" -> TYPE;
      case "subject" -> SUBJECT;
      case "dataschema" -> DATASCHEMA;
      case "time" -> TIME;
      // The bindings carry it as the content type; an event with the attribute header as well is the general path's.
      case "datacontenttype" -> CONTENT_TYPE;
      default -> EXTENSION;
    };
    if (slot == EXTENSION) {
      if (!AttributeRules.isValidName(name)) {
        return false;
      }
      if (extensions == null) {
        extensions = new HashMap<>(4);
      } else if (extensions.containsKey(name)) {
        return false;
      }
      extensions.put(name, value);
      return true;
    }
    // A repeated attribute is the general path's too: it checks every value, not only the last.
    if (slot == CONTENT_TYPE || attributes[slot] != null) {
      return false;
    }
    attributes[slot] = value;
    return true;
  }

  String subject() {
    return attributes[SUBJECT];
  }

  String time() {
    return attributes[TIME];
  }

  /**
   * The event, when it is a well-formed CloudEvents 1.0 event the SDK's builder would make alike; null otherwise.
   *
   * @param data the event's data, null or empty for none
   */
  CloudEvent event(String contentType, byte[] data) {
    String id = attributes[ID];
    String source = attributes[SOURCE];
    String type = attributes[TYPE];
    String dataSchema = attributes[DATASCHEMA];
    String time = attributes[TIME];
    if (!SpecVersion.V1.toString().equals(attributes[SPECVERSION]) || id == null || id.isEmpty() || source == null
        || source.isEmpty() || type == null || type.isEmpty()) {
      return null;
    }
    try {
      URI sourceUri = PARSED_URIS.parse(source);
      URI schemaUri = dataSchema == null ? null : PARSED_URIS.parse(dataSchema);
      CloudEvent event = new CloudEventV1(id, sourceUri, type, contentType, schemaUri, attributes[SUBJECT],
          time == null ? null : Time.parseTime(time),
          data == null || data.length == 0 ? null : BytesCloudEventData.wrap(data),
          extensions == null ? Map.of() : extensions);
      // What the SDK's builder runs on every event it builds: the validators registered with it.
      CloudEventValidatorProvider.getInstance().validate(event);
      return event;
    } catch (Exception malformed) {
      return null;
    }
  }
}
