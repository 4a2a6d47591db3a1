package dev.fnmesh.broker;

import dev.fnmesh.mesh.TopicSettings;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How fnmesh creates every topic it needs, its own and the mesh's: with how many replicas, and with
 * {@code min.insync.replicas} one below that, so that a write acknowledged with {@code acks=all} is on two
 * brokers of three and the topic still takes writes while one broker is away.
 *
 * @param replicationFactor the replicas of each partition of a topic whose settings name none; empty for
 *     {@link #DEFAULT_REPLICATION_FACTOR}, or the number of brokers when the cluster has fewer
 */
public record TopicPolicy(OptionalInt replicationFactor) {

  /** The replicas a topic gets when neither the process nor the mesh says: Kafka's production advice. */
  public static final int DEFAULT_REPLICATION_FACTOR = 3;

  /** {@link #DEFAULT_REPLICATION_FACTOR} replicas, or one per broker on a smaller cluster. */
  public static final TopicPolicy CLUSTER_SIZED = new TopicPolicy(OptionalInt.empty());

  /**
   * fnmesh's state topics (the mesh's and the cron schedule's): one partition, so that every record is read in
   * the order written, compacted to the latest record of each key. Compaction only cleans closed segments:
   * short segments keep such a topic, read whole at every start, near one record per key.
   */
  public static final TopicSettings STATE_TOPIC = new TopicSettings(1, OptionalInt.empty(), Optional.empty(), Map.of(
      TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
      TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis())));

  /**
   * fnmesh's topic of function log entries in a mesh across processes: one partition, so that the entries of
   * all hosts are read in the order Kafka took them; kept an hour and at most 64 MiB, in short segments so
   * that what is older is deleted soon. It holds what a buffer shows, not a log archive.
   */
  public static final TopicSettings FUNCTION_LOG_TOPIC = new TopicSettings(1, OptionalInt.empty(),
      Optional.of(Duration.ofHours(1)), Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(64L * 1024 * 1024),
          TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024),
          TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofMinutes(10).toMillis())));

  public TopicPolicy {
    replicationFactor.ifPresent(factor -> {
      if (factor < 1 || factor > TopicSettings.MAX_REPLICATION_FACTOR) {
        throw new IllegalArgumentException("the replication factor must be between 1 and "
            + TopicSettings.MAX_REPLICATION_FACTOR + ", got " + factor);
      }
    });
  }

  /**
   * The replicas a topic with these settings is created with: its own replication factor, else this policy's,
   * else {@link #DEFAULT_REPLICATION_FACTOR} capped at the brokers the cluster has. A factor that was asked
   * for is never capped: Kafka refuses it on a cluster too small, which is better than fewer copies unsaid.
   */
  public int replicas(TopicSettings topic, int brokers) {
    return topic.replicationFactor().orElse(replicationFactor.orElse(
        Math.max(1, Math.min(DEFAULT_REPLICATION_FACTOR, brokers))));
  }

  /** One below the replicas, at least 1: the in-sync copies a write needs, so that one broker may be away. */
  public static int minInsyncReplicas(int replicas) {
    return Math.max(1, replicas - 1);
  }

  /** The topic to create: its partitions, {@link #replicas}, min.insync.replicas, retention, then its own configs. */
  public NewTopic newTopic(String name, TopicSettings topic, int brokers) {
    int replicas = replicas(topic, brokers);
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas(replicas)));
    topic.retention().ifPresent(kept -> configs.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(kept.toMillis())));
    configs.putAll(topic.config());
    return new NewTopic(name, topic.partitions(), (short) replicas).configs(configs);
  }
}
