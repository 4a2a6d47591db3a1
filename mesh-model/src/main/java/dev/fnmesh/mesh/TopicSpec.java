package dev.fnmesh.mesh;

import java.util.Objects;
import java.util.Optional;

/**
 * A topic of the mesh file's {@code topics:} section: one that events are published to over HTTP although
 * no trigger of the mesh consumes it. A kafka trigger's topic needs no such entry: it is publishable already.
 *
 * @param name the topic, a legal Kafka topic name that starts with neither {@link #FNMESH_PREFIX} nor
 *     {@link #KAFKA_PREFIX}
 * @param settings how the topic is created when the first event is published to it: its partitions (by
 *     default {@link KafkaSource#DEFAULT_PARTITIONS}), replication and configs
 * @param dataschema a JSON Schema file, relative to {@code schemas/}, that the data of every event published
 *     to the topic must satisfy, as a trigger's {@code dataschema}
 */
public record TopicSpec(String name, TopicSettings settings, Optional<String> dataschema) {

  /**
   * The prefix of fnmesh's own topics: the state and cron state topics, webhook and cron triggers' topics
   * and dead-letter topics by default. Events from outside must not reach them: a record on the state topic
   * reconfigures every host.
   */
  public static final String FNMESH_PREFIX = "fnmesh.";

  /** The prefix of Kafka's own topics, such as {@code __consumer_offsets}. */
  public static final String KAFKA_PREFIX = "__";

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(dataschema, "dataschema");
    if (isInternal(name)) {
      throw new IllegalArgumentException("topic " + name + " is internal: it starts with " + FNMESH_PREFIX
          + " or " + KAFKA_PREFIX);
    }
  }

  /** The partitions the topic is created with. */
  public int partitions() {
    return settings.partitions();
  }

  /** Whether the topic belongs to fnmesh or to Kafka itself, so that nothing may be published to it over HTTP. */
  public static boolean isInternal(String topic) {
    return topic.startsWith(FNMESH_PREFIX) || topic.startsWith(KAFKA_PREFIX);
  }
}
