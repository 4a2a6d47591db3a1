package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * How many replicas consume a trigger's topic, following its consumer lag: the {@code scale:} section of a
 * trigger. Each limit is the schema's, so that code building the record directly cannot go beyond the file.
 *
 * @param min the fewest replicas; 0 lets an idle trigger scale to zero
 * @param max the most replicas, at least {@code min}; replicas beyond the topic's partition count stay idle
 * @param lagThreshold the consumer lag each replica is meant to carry
 * @param activationLagThreshold the consumer lag above which a trigger at zero replicas wakes up
 * @param cooldown how long a trigger must be idle before it scales to zero, and the window over which
 *     scaling down is stabilised; zero allowed
 * @param pollInterval how often the consumer lag is measured, at least {@link #MIN_POLL_INTERVAL}
 */
public record ScaleSpec(int min, int max, long lagThreshold, long activationLagThreshold, Duration cooldown,
    Duration pollInterval) {

  /** The fewest replicas when the mesh file does not say, as in the schema. */
  public static final int DEFAULT_MIN = 0;

  /** The most replicas the mesh file accepts for min and max, as in the schema. */
  public static final int MAX_REPLICAS = 1000;

  /** The lag per replica when the mesh file does not say, as in the schema. */
  public static final long DEFAULT_LAG_THRESHOLD = 100;

  /** The lag that wakes a trigger at zero when the mesh file does not say, as in the schema. */
  public static final long DEFAULT_ACTIVATION_LAG_THRESHOLD = 0;

  /** The idle time before scaling to zero when the mesh file does not say, as in the schema. */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);

  /** How often lag is measured when the mesh file does not say, as in the schema. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** The shortest poll interval: measuring lag more often only loads the brokers. */
  public static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);

  /**
   * @throws IllegalArgumentException when a value is outside the range of the schema or max is below min
   */
  public ScaleSpec {
    Objects.requireNonNull(cooldown, "cooldown");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (min < 0 || min > MAX_REPLICAS) {
      throw new IllegalArgumentException("min must be between 0 and " + MAX_REPLICAS + ", got " + min);
    }
    if (max < 1 || max > MAX_REPLICAS) {
      throw new IllegalArgumentException("max must be between 1 and " + MAX_REPLICAS + ", got " + max);
    }
    if (max < min) {
      throw new IllegalArgumentException("max must be at least min (" + min + "), got " + max);
    }
    if (lagThreshold < 1) {
      throw new IllegalArgumentException("lagThreshold must be at least 1, got " + lagThreshold);
    }
    if (activationLagThreshold < 0) {
      throw new IllegalArgumentException("activationLagThreshold must be at least 0, got " + activationLagThreshold);
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative, got " + cooldown);
    }
    if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0) {
      throw new IllegalArgumentException(
          "pollInterval must be at least " + MIN_POLL_INTERVAL + ", got " + pollInterval);
    }
  }

  /**
   * The scaling of a trigger whose file says nothing about it: every default, max the partition count.
   *
   * @param partitions the partition count of the trigger's topic
   * @throws IllegalArgumentException when partitions is outside the range of the schema
   */
  public static ScaleSpec defaults(int partitions) {
    return new ScaleSpec(DEFAULT_MIN, defaultMax(partitions), DEFAULT_LAG_THRESHOLD, DEFAULT_ACTIVATION_LAG_THRESHOLD,
        DEFAULT_COOLDOWN, DEFAULT_POLL_INTERVAL);
  }

  /**
   * The most replicas when the file does not say: one per partition, as more would idle, but no more than
   * {@link #MAX_REPLICAS}, since a topic may have up to {@link KafkaSource#MAX_PARTITIONS} partitions.
   *
   * @throws IllegalArgumentException when partitions is outside the range of the schema
   */
  public static int defaultMax(int partitions) {
    KafkaSource.checkPartitions(partitions);
    return Math.min(partitions, MAX_REPLICAS);
  }

  public ScaleSpec withMin(int newMin) {
    return new ScaleSpec(newMin, max, lagThreshold, activationLagThreshold, cooldown, pollInterval);
  }

  public ScaleSpec withThresholds(long newLagThreshold, long newActivationLagThreshold) {
    return new ScaleSpec(min, max, newLagThreshold, newActivationLagThreshold, cooldown, pollInterval);
  }

  public ScaleSpec withCooldown(Duration newCooldown) {
    return new ScaleSpec(min, max, lagThreshold, activationLagThreshold, newCooldown, pollInterval);
  }
}
