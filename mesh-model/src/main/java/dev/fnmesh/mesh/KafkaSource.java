package dev.fnmesh.mesh;

import java.util.Objects;

/**
 * A trigger's events come from a Kafka topic.
 *
 * @param topic the topic consumed
 * @param settings how the topic is created when it does not exist: its partitions, replication and configs
 * @param startFrom where the trigger starts reading when it has no committed offsets
 */
public record KafkaSource(String topic, TopicSettings settings, StartFrom startFrom) implements TriggerSource {

  /**
   * The partitions a trigger's topic gets when the mesh file does not say, whatever its source, and of any
   * topic fnmesh creates on its own; the schema declares the same default.
   */
  public static final int DEFAULT_PARTITIONS = 8;

  /** Where a trigger starts when the mesh file does not say; the schema declares the same default. */
  public static final StartFrom DEFAULT_START_FROM = StartFrom.EARLIEST;

  /** The most partitions the mesh file accepts for any trigger's topic, as in the schema. */
  public static final int MAX_PARTITIONS = 10_000;

  public KafkaSource {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(startFrom, "startFrom");
  }

  /** The partitions the topic is created with when it does not exist. */
  public int partitions() {
    return settings.partitions();
  }

  /**
   * Refuses a partition count outside the range of the schema, for every record that carries one.
   *
   * @throws IllegalArgumentException when it is below 1 or above {@link #MAX_PARTITIONS}
   */
  static void checkPartitions(int partitions) {
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partitions must be between 1 and " + MAX_PARTITIONS + ", got " + partitions);
    }
  }
}
