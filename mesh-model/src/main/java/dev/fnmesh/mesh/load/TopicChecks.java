package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshProblem;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the {@code topics:} section for what the schema cannot say: that no entry names a topic a trigger
 * of the mesh consumes. Such a topic has one place for its partitions and data schema, the trigger, so that
 * two declarations can never disagree; a kafka trigger's topic is publishable without an entry. Tolerates a
 * document that breaks the schema, so that these problems are reported with the others.
 */
final class TopicChecks {

  private TopicChecks() {
  }

  /** A problem at every entry of {@code topics:} that a trigger consumes; empty when there is none. */
  static List<MeshProblem> check(YamlDocument document) {
    JsonNode triggers = document.root().path("triggers");
    List<MeshProblem> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : document.root().path("topics").properties()) {
      String topic = entry.getKey();
      for (Map.Entry<String, JsonNode> trigger : triggers.properties()) {
        List<String> consumedAt = consumedAt(trigger.getKey(), trigger.getValue());
        if (!consumedAt.isEmpty() && topic.equals(trigger.getValue().at(pointer(consumedAt)).asText(null))) {
          problems.add(document.problemAt(List.of("topics", topic), message(topic, consumedAt, document)));
          break;
        }
      }
    }
    return problems;
  }

  /** The key path, under the trigger, of the topic a trigger names as the one it consumes; empty when none. */
  private static List<String> consumedAt(String name, JsonNode trigger) {
    if (trigger.path("kafka").path("topic").isTextual()) {
      return List.of("triggers", name, "kafka", "topic");
    }
    return trigger.path("topic").isTextual() ? List.of("triggers", name, "topic") : List.of();
  }

  private static String pointer(List<String> consumedAt) {
    return "/" + String.join("/", consumedAt.subList(2, consumedAt.size()));
  }

  private static String message(String topic, List<String> consumedAt, YamlDocument document) {
    String where = String.join(".", consumedAt) + " at line " + document.lineOf(consumedAt);
    if (consumedAt.contains("kafka")) {
      return "the topic \"" + topic + "\" is already declared by " + where + ", which makes it publishable; "
          + "remove it here and give the trigger's kafka source its partitions and dataschema";
    }
    return "the topic \"" + topic + "\" is consumed by " + where + ", whose events come from its "
        + "webhook or schedule only; remove it here or give the trigger another topic";
  }
}
