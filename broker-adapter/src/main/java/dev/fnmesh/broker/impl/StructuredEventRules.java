package dev.fnmesh.broker.impl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fnmesh.broker.EventProblem;

import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of the CloudEvents JSON event format (structured mode) on top of the attribute rules: the
 * event is a JSON object, context attributes are strings, extensions are strings, numbers or booleans,
 * and {@code data} and {@code data_base64} exclude each other.
 */
final class StructuredEventRules {

  /** @return the first problem of the JSON event, or empty when it is a valid CloudEvent */
  Optional<EventProblem> check(JsonNode event) {
    if (!event.isObject()) {
      return Optional.of(EventProblem.badRequest("body",
          "a structured CloudEvent must be a JSON object, got a JSON " + event.getNodeType()));
    }
    if (event.hasNonNull("data") && event.hasNonNull("data_base64")) {
      return Optional.of(EventProblem.badRequest("data_base64", "an event may carry 'data' or 'data_base64', not both"));
    }
    JsonNode base64 = event.get("data_base64");
    if (base64 != null && !base64.isNull()) {
      if (!base64.isTextual() || !isBase64(base64.asText())) {
        return Optional.of(EventProblem.badRequest("data_base64", "data_base64 must be a base64 string"));
      }
    }
    Map<String, String> attributes = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = event.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals("data") || name.equals("data_base64") || value.isNull()) {
        continue;
      }
      boolean contextAttribute = AttributeRules.isContextAttribute(name);
      if (value.isTextual() || (!contextAttribute && ((value.isIntegralNumber() && value.canConvertToInt()) || value.isBoolean()))) {
        attributes.put(name, value.asText());
      } else {
        return Optional.of(EventProblem.badRequest(name, "attribute '" + name + "' must be "
            + (contextAttribute ? "a string" : "a string, a 32-bit integer or a boolean") + ", got a JSON " + value.getNodeType()));
      }
    }
    return AttributeRules.check(attributes);
  }

  private static boolean isBase64(String text) {
    try {
      Base64.getDecoder().decode(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
