package dev.fnmesh.host.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Map;

/**
 * What {@code GET /api/mesh} shows of a mesh: its shape, but no value that may be a secret. Functions'
 * {@code env:} values and {@code config:} values are hidden (keys stay), so are the user and password of
 * an {@code http:} URL, and every {@code secret:}, which, even as a reference, says where a secret lives.
 */
final class MeshRedaction {

  static final String REDACTED = "<redacted>";

  private MeshRedaction() {}

  /** Hides the secrets of a mesh file's JSON tree, in place. */
  static void redact(JsonNode mesh) {
    for (JsonNode function : mesh.path("functions")) {
      if (function instanceof ObjectNode object) {
        hideValues(object.get("env"));
        hideValues(object.get("config"));
        JsonNode url = object.get("http");
        if (url != null && url.isTextual()) {
          object.put("http", withoutUserInfo(url.asText()));
        }
      }
    }
    hideSecrets(mesh);
  }

  private static void hideValues(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (field.getValue().isContainerNode()) {
          hideValues(field.getValue());
        } else {
          field.setValue(TextNode.valueOf(REDACTED));
        }
      }
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

  // https://user:password@host/path keeps everything but the user information.
  private static String withoutUserInfo(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return url;
    }
    int authority = start + 3;
    int end = authority;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    return at < authority ? url : url.substring(0, authority) + REDACTED + url.substring(at);
  }
}
