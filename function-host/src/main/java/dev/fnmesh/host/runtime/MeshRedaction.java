package dev.fnmesh.host.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.SecretRef;

import java.util.Map;

/**
 * What {@code GET /api/mesh} shows of a mesh: its shape, but no value that may be a secret. Functions'
 * {@code env:} values and {@code config:} values are hidden (keys stay), except the secret references
 * among them ({@code { env: NAME }}, {@code { file: PATH }}: they name a place, and the running host reads
 * it); so are the user and password of an {@code http:} URL, and every {@code secret:}.
 */
final class MeshRedaction {

  static final String REDACTED = "<redacted>";
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private MeshRedaction() {}

  /** Hides the secrets of a mesh file's JSON tree, in place. */
  static void redact(JsonNode mesh) {
    for (JsonNode function : mesh.path("functions")) {
      if (function instanceof ObjectNode object) {
        hideValuesButReferences(object.get("env"));
        hideValuesButReferences(object.get("config"));
        JsonNode url = object.get("http");
        if (url != null && url.isTextual()) {
          object.put("http", HttpKind.withoutUserInfo(url.asText()));
        }
      }
    }
    hideSecrets(mesh);
  }

  // The top level of env: and config:, where a value may be a reference, by the rule the loader binds with.
  private static void hideValuesButReferences(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (SecretRef.in(PLAIN.convertValue(field.getValue(), Object.class)).isEmpty()) {
          hideValue(field);
        }
      }
    }
  }

  private static void hideValue(Map.Entry<String, JsonNode> field) {
    if (field.getValue().isContainerNode()) {
      hideValues(field.getValue());
    } else {
      field.setValue(TextNode.valueOf(REDACTED));
    }
  }

  private static void hideValues(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(MeshRedaction::hideValue);
    } else if (node != null && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isContainerNode()) {
          hideValues(node.get(i));
        } else {
          ((ArrayNode) node).set(i, TextNode.valueOf(REDACTED));
        }
      }
    }
  }

  private static void hideSecrets(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("secret")) {
        object.put("secret", REDACTED);
      }
      object.elements().forEachRemaining(MeshRedaction::hideSecrets);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(MeshRedaction::hideSecrets);
    }
  }
}
