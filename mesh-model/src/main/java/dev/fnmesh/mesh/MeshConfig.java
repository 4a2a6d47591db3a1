package dev.fnmesh.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated mesh file: its functions, triggers and published topics by name, in the order of the file.
 * Every trigger's function is one of the functions; no topic of {@code topics:} is consumed by a trigger.
 *
 * @param functions the functions by name, unmodifiable
 * @param triggers the triggers by name, unmodifiable, empty when the file declares none
 * @param topics the topics of the {@code topics:} section by name, unmodifiable, empty when the file declares none
 */
public record MeshConfig(Map<String, FunctionSpec> functions, Map<String, TriggerSpec> triggers,
    Map<String, TopicSpec> topics) {

  public MeshConfig {
    functions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(functions, "functions")));
    triggers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(triggers, "triggers")));
    topics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(topics, "topics")));
  }

  /**
   * The topics events may be published to from outside, with how each is created: every
   * kafka trigger's topic and every topic of {@code topics:}, except fnmesh's and Kafka's own
   * ({@link TopicSpec#isInternal}). A webhook or cron trigger's topic, a reply topic and a dead-letter topic
   * are not among them unless {@code topics:} names them.
   *
   * @return topic to its settings, in file order, unmodifiable
   */
  public Map<String, TopicSettings> publishableTopics() {
    Map<String, TopicSettings> publishable = new LinkedHashMap<>();
    for (TriggerSpec trigger : triggers.values()) {
      if (trigger.source() instanceof KafkaSource kafka && !TopicSpec.isInternal(kafka.topic())) {
        publishable.putIfAbsent(kafka.topic(), kafka.settings());
      }
    }
    topics.values().forEach(topic -> publishable.putIfAbsent(topic.name(), topic.settings()));
    return Collections.unmodifiableMap(publishable);
  }
}
