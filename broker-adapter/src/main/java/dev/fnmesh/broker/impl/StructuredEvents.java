package dev.fnmesh.broker.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.provider.CloudEventValidatorProvider;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.types.Time;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The common case of the JSON event format on the ingress's hot path: a CloudEvents 1.0 JSON object already
 * parsed (and checked by {@link StructuredEventRules}), whose extensions are strings and whose data, if any,
 * is JSON, made into the event from its tree directly instead of walking the tree again through the SDK's
 * deserializer. Any other event is left to the SDK, so what is accepted stays exactly what it accepts.
 */
final class StructuredEvents {

  // A topic's events mostly share a few sources and schemas: parse each text once.
  private static final RecentUris PARSED_URIS = new RecentUris(256);

  private StructuredEvents() {}

  /** The event of a checked JSON object; null when the SDK is to read it. */
  static CloudEvent fromTree(JsonNode event) {
    if (!event.isObject()) {
      return null;
    }
    String specVersion = null;
    String id = null;
    String source = null;
    String type = null;
    String dataContentType = null;
    String dataSchema = null;
    String subject = null;
    String time = null;
    JsonNode data = null;
    Map<String, Object> extensions = null;
    for (Iterator<Map.Entry<String, JsonNode>> fields = event.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      // The JSON event format reads a null attribute as an absent one.
      if (value.isNull()) {
        continue;
      }
      if (name.equals("data")) {
        data = value;
        continue;
      }
      if (!value.isTextual()) {
        return null;
      }
      String text = value.textValue();
      switch (name) {
        case "specversion" -> specVersion = text;
        case "id" -> id = text;
        case "source" -> source = text;
        case "type" -> type = text;
        case "datacontenttype" -> dataContentType = text;
        case "dataschema" -> dataSchema = text;
        case "subject" -> subject = text;
        case "time" -> time = text;
        case "data_base64" -> {
          return null;
        }
        default -> {
          if (extensions == null) {
            extensions = new HashMap<>(4);
          }
          extensions.put(name, text);
        }
      }
    }
    // JSON data is kept as the tree it was parsed into, which the SDK does only for a JSON media type.
    if (!SpecVersion.V1.toString().equals(specVersion) || id == null || source == null || type == null
        || data != null && dataContentType != null && !dataContentType.equals("application/json")) {
      return null;
    }
    // As the SDK does: JSON data without a type is application/json.
    if (data != null && dataContentType == null) {
      dataContentType = "application/json";
    }
    try {
      URI sourceUri = PARSED_URIS.parse(source);
      URI schemaUri = dataSchema == null ? null : PARSED_URIS.parse(dataSchema);
      OffsetDateTime timestamp = time == null ? null : Time.parseTime(time);
      CloudEvent built = new CloudEventV1(id, sourceUri, type, dataContentType, schemaUri, subject, timestamp,
          data == null ? null : JsonCloudEventData.wrap(data), extensions == null ? Map.of() : extensions);
      // What the SDK's builder runs on every event it builds: the validators registered with it.
      CloudEventValidatorProvider.getInstance().validate(built);
      return built;
    } catch (Exception unusual) {
      return null;
    }
  }
}
