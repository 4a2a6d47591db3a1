package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.TopicSettings;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the topics for what the schema cannot say: that no entry of {@code topics:} names a topic a trigger
 * of the mesh consumes (such a topic has one place for its settings and data schema, the trigger, so that
 * two declarations can never disagree; a kafka trigger's topic is publishable without an entry), and that a
 * topic's retention, there or on a kafka source, is positive and not given twice. Tolerates a document that
 * breaks the schema, so that these problems are reported with the others.
 */
final class TopicChecks {

  private TopicChecks() {
  }

  /** A problem at every such entry of {@code topics:} or kafka source; empty when there is none. */
  static List<MeshProblem> check(YamlDocument document) {
    JsonNode triggers = document.root().path("triggers");
    List<MeshProblem> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> trigger : triggers.properties()) {
      retention(document, List.of("triggers", trigger.getKey(), "kafka"), trigger.getValue().path("kafka"), problems);
      dedupWindow(document, List.of("triggers", trigger.getKey(), "webhook"), trigger.getValue().path("webhook"),
          problems);
    }
    for (Map.Entry<String, JsonNode> entry : document.root().path("topics").properties()) {
      String topic = entry.getKey();
      retention(document, List.of("topics", topic), entry.getValue(), problems);
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

  /** A dedup window of zero would remember nothing: refused like a zero retention. */
  static void dedupWindow(YamlDocument document, List<String> at, JsonNode holder, List<MeshProblem> problems) {
    List<String> window = new ArrayList<>(at);
    window.addAll(List.of("dedup", "window"));
    PositiveDuration.problem(holder.path("dedup").path("window"))
        .ifPresent(problem -> problems.add(document.problemAt(window, problem)));
  }

  private static void retention(YamlDocument document, List<String> at, JsonNode topic, List<MeshProblem> problems) {
    dedupWindow(document, at, topic, problems);
    List<String> retention = new ArrayList<>(at);
    retention.add("retention");
    PositiveDuration.problem(topic.path("retention"))
        .ifPresent(problem -> problems.add(document.problemAt(retention, problem)));
    if (topic.has("retention") && topic.path("config").has(TopicSettings.RETENTION_MS)) {
      problems.add(document.problemAt(retention, "retention sets the topic's " + TopicSettings.RETENTION_MS
          + ", which config sets too: keep one"));
    }
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
          + "remove it here and give the trigger's kafka source its partitions, replicationFactor, retention and "
          + "config, and the trigger its dataschema";
    }
    return "the topic \"" + topic + "\" is consumed by " + where + ", whose events come from its "
        + "webhook or schedule only; remove it here or give the trigger another topic";
  }
}
