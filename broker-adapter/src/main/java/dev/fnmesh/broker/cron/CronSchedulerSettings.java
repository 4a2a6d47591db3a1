package dev.fnmesh.broker.cron;

import java.time.Duration;
import java.util.Objects;

/**
 * How the cron schedulers of every process running one mesh on one Kafka cluster find each other. All of
 * them must use the same three names, and no other mesh on the cluster may use them.
 *
 * @param stateTopic the compacted single-partition topic of the leader election and the last fired ticks
 * @param groupId the consumer group whose member owning the state topic's partition is the leader
 * @param transactionalId the leader's {@code transactional.id}; shared so that a new leader fences the old
 * @param lateTolerance how late a tick may still fire (after a slow transaction, a leader change); a tick
 *     later than that counts as missed and follows the trigger's missed policy
 */
public record CronSchedulerSettings(String stateTopic, String groupId, String transactionalId,
    Duration lateTolerance) {

  public static final String DEFAULT_STATE_TOPIC = "fnmesh.cron.state";
  public static final String DEFAULT_GROUP_ID = "fnmesh.cron";
  public static final String DEFAULT_TRANSACTIONAL_ID = "fnmesh-cron";
  public static final Duration DEFAULT_LATE_TOLERANCE = Duration.ofSeconds(2);

  /** @throws IllegalArgumentException naming the field, its value and what was expected */
  public CronSchedulerSettings {
    requireName("stateTopic", stateTopic);
    requireName("groupId", groupId);
    requireName("transactionalId", transactionalId);
    Objects.requireNonNull(lateTolerance, "lateTolerance");
    if (lateTolerance.isNegative()) {
      throw new IllegalArgumentException("lateTolerance must not be negative, got " + lateTolerance);
    }
  }

  public static CronSchedulerSettings defaults() {
    return new CronSchedulerSettings(DEFAULT_STATE_TOPIC, DEFAULT_GROUP_ID, DEFAULT_TRANSACTIONAL_ID,
        DEFAULT_LATE_TOLERANCE);
  }

  private static void requireName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty, got '" + value + "'");
    }
  }
}
