package dev.fnmesh.broker;

import dev.fnmesh.mesh.TopicSpec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The topics the running mesh lets events be published to over HTTP, with the partitions each is created
 * with, replaced as a whole when the mesh changes. fnmesh's own topics and Kafka's are never among them:
 * a record written to the state topic would reconfigure every host. Thread-safe.
 */
public final class DeclaredTopics {

  // Sorted, so that a refusal lists the declared topics in a stable order.
  private final AtomicReference<Map<String, Integer>> current = new AtomicReference<>(Map.of());

  /** Whether an event may be published to a topic, and the partitions it is created with if so. */
  public sealed interface Lookup {

    /** Events may be published to the topic; it is created with this many partitions when missing. */
    record Publishable(int partitions) implements Lookup {}

    /** Nothing may be published to the topic, because of this problem (404, field {@code topic}). */
    record Refused(EventProblem problem) implements Lookup {}
  }

  /**
   * @param topicToPartitions the publishable topics of the new mesh and their partitions; internal topics
   *     among them stay refused
   */
  public void replace(Map<String, Integer> topicToPartitions) {
    Map<String, Integer> publishable = new TreeMap<>(topicToPartitions);
    publishable.keySet().removeIf(TopicSpec::isInternal);
    current.set(Collections.unmodifiableMap(publishable));
  }

  /** Whether events may be published to the topic; an internal or undeclared topic is refused with a 404. */
  public Lookup lookup(String topic) {
    if (topic.startsWith(TopicSpec.FNMESH_PREFIX)) {
      return refused("topic '" + topic + "' is internal to fnmesh (its state, cron, webhook, cron trigger and "
          + "dead-letter topics start with '" + TopicSpec.FNMESH_PREFIX + "') and cannot be published to over HTTP");
    }
    if (topic.startsWith(TopicSpec.KAFKA_PREFIX)) {
      return refused("topic '" + topic + "' is internal to Kafka and cannot be published to over HTTP");
    }
    Map<String, Integer> declared = current.get();
    Integer partitions = declared.get(topic);
    if (partitions == null) {
      return refused("no topic '" + topic + "' is declared in the mesh; declared: "
          + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())));
    }
    return new Lookup.Publishable(partitions);
  }

  private static Lookup refused(String message) {
    return new Lookup.Refused(EventProblem.notFound("topic", message));
  }
}
