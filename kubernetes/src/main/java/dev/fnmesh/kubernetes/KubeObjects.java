package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/** The parts every Kubernetes object shares: kind, metadata, labels and selectors. */
final class KubeObjects {

  static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final String APP = "fnmesh";

  private KubeObjects() {}

  /** An object of the kind, named, in the namespace when one is given, with the labels. */
  static ObjectNode object(String apiVersion, String kind, String name, Optional<String> namespace,
      Map<String, String> labels) {
    ObjectNode object = JSON.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode metadata = object.putObject("metadata").put("name", name);
    namespace.ifPresent(ns -> metadata.put("namespace", ns));
    metadata.set("labels", map(labels));
    return object;
  }

  /** The labels of a component, and of one trigger when named: also its pods' selector. */
  static Map<String, String> labels(String component, Optional<String> trigger) {
    return trigger.map(name -> Map.of("app.kubernetes.io/name", APP, "app.kubernetes.io/component", component,
            "fnmesh.dev/trigger", name))
        .orElse(Map.of("app.kubernetes.io/name", APP, "app.kubernetes.io/component", component));
  }

  static ObjectNode selector(Map<String, String> labels) {
    ObjectNode selector = JSON.objectNode();
    selector.set("matchLabels", map(labels));
    return selector;
  }

  /** A map as a JSON object, its keys sorted so that the output does not depend on the map's order. */
  static ObjectNode map(Map<String, String> values) {
    ObjectNode node = JSON.objectNode();
    values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> node.put(e.getKey(), e.getValue()));
    return node;
  }

  static ArrayNode strings(Iterable<String> values) {
    ArrayNode array = JSON.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
