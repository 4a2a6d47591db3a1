package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * How fnmesh creates a topic when it is missing: the keys a topic of {@code topics:} and a kafka trigger's
 * source share, and what fnmesh gives its own topics. A topic that exists keeps what it has.
 *
 * @param partitions the partitions of the topic, by default {@link KafkaSource#DEFAULT_PARTITIONS}
 * @param replicationFactor the replicas of each partition; empty for the process's {@code --replication-factor}
 * @param retention how long records are kept (Kafka's {@code retention.ms}); empty for the cluster's default
 * @param config further topic configs as Kafka names them, such as {@code cleanup.policy: compact}, applied
 *     last, sorted by name
 * @param dedup whether events published to the topic over HTTP are dropped as duplicates of one accepted shortly
 *     before; not about creating the topic, but a key topics of {@code topics:} and kafka triggers' sources share
 */
public record TopicSettings(int partitions, OptionalInt replicationFactor, Optional<Duration> retention,
    Map<String, String> config, Optional<DedupSettings> dedup) {

  /** The topic config {@link #retention} sets, which {@link #config} may therefore not name as well. */
  public static final String RETENTION_MS = "retention.ms";

  /** The largest replication factor Kafka takes (a 16-bit number), as in the schema. */
  public static final int MAX_REPLICATION_FACTOR = Short.MAX_VALUE;

  public TopicSettings {
    Objects.requireNonNull(dedup, "dedup");
    Objects.requireNonNull(replicationFactor, "replicationFactor");
    Objects.requireNonNull(retention, "retention");
    KafkaSource.checkPartitions(partitions);
    replicationFactor.ifPresent(factor -> {
      if (factor < 1 || factor > MAX_REPLICATION_FACTOR) {
        throw new IllegalArgumentException("replicationFactor must be between 1 and " + MAX_REPLICATION_FACTOR
            + ", got " + factor);
      }
    });
    retention.filter(kept -> kept.isZero() || kept.isNegative()).ifPresent(kept -> {
      throw new IllegalArgumentException("retention must be positive, got " + kept);
    });
    config = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(config, "config")));
    if (retention.isPresent() && config.containsKey(RETENTION_MS)) {
      throw new IllegalArgumentException("retention and config." + RETENTION_MS + " say the same thing: keep one");
    }
  }

  /** A topic without dedup. */
  public TopicSettings(int partitions, OptionalInt replicationFactor, Optional<Duration> retention,
      Map<String, String> config) {
    this(partitions, replicationFactor, retention, config, Optional.empty());
  }

  /** A topic with these partitions and every other setting at its default. */
  public static TopicSettings of(int partitions) {
    return new TopicSettings(partitions, OptionalInt.empty(), Optional.empty(), Map.of());
  }
}
