package dev.fnmesh.broker;

import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.TopicSpec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The topics the running mesh lets events be published to over HTTP, with how each is created, replaced as a whole when the mesh changes. fnmesh's own topics and Kafka's are never among them:
 * a record written to the state topic would reconfigure every host. Thread-safe.
 */
public final class DeclaredTopics {

  // Sorted, so that a refusal lists the declared topics in a stable order.
  private final AtomicReference<Map<String, TopicSettings>> current = new AtomicReference<>(Map.of());

  /** Whether an event may be published to a topic, and how it is created if so. */
  public sealed interface Lookup {

    /** Events may be published to the topic; it is created with these settings when missing. */
    record Publishable(TopicSettings settings) implements Lookup {}

    /** Nothing may be published to the topic, because of this problem (404, field {@code topic}). */
    record Refused(EventProblem problem) implements Lookup {}
  }

  /**
   * @param topicToSettings the publishable topics of the new mesh and their settings; internal topics among
   *     them stay refused
   */
  public void replace(Map<String, TopicSettings> topicToSettings) {
    Map<String, TopicSettings> publishable = new TreeMap<>(topicToSettings);
    publishable.keySet().removeIf(TopicSpec::isInternal);
    current.set(Collections.unmodifiableMap(publishable));
  }

  /** Whether events may be published to the topic; an internal or undeclared topic is refused with a 404. */
  public Lookup lookup(String topic) {
    if (topic.startsWith(TopicSpec.FNMESH_PREFIX)) {
      return refused("topic '" + topic + "' is internal to fnmesh (its state, cron, webhook, cron trigger, "
          + "sequence step and dead-letter topics start with '" + TopicSpec.FNMESH_PREFIX + "') and cannot be published to over HTTP");
    }
    if (topic.startsWith(TopicSpec.KAFKA_PREFIX)) {
      return refused("topic '" + topic + "' is internal to Kafka and cannot be published to over HTTP");
    }
    Map<String, TopicSettings> declared = current.get();
    TopicSettings settings = declared.get(topic);
    if (settings == null) {
      return refused("no topic '" + topic + "' is declared in the mesh; declared: "
          + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())));
    }
    return new Lookup.Publishable(settings);
  }

  private static Lookup refused(String message) {
    return new Lookup.Refused(EventProblem.notFound("topic", message));
  }
}
