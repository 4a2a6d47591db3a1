package dev.fnmesh.controller.scale;

import java.time.Duration;
import java.util.Objects;

/**
 * How one trigger scales with the lag of its consumer group, in the terms of KEDA's Kafka scaler.
 *
 * @param min the fewest replicas; 0 lets an idle trigger scale to zero
 * @param max the most replicas, at least {@code min} and at least 1
 * @param lagThreshold the lag one replica is expected to work off: the recommendation is
 *     {@code ceil(totalLag / lagThreshold)}
 * @param activationLagThreshold a trigger at zero replicas wakes up only when its lag is above this;
 *     lag at or below it counts as idle for scaling to zero
 * @param cooldown how long a trigger must be idle before it scales to zero, and the scale-down
 *     stabilisation window: a scale-down never goes below the highest recommendation of that window
 * @param pollInterval how often the lag is measured
 * @param ordered whether the trigger delivers in order: then a partition is worked by one replica at a
 *     time, so more replicas than partitions with lag do nothing
 */
public record ScaleSettings(
    int min,
    int max,
    long lagThreshold,
    long activationLagThreshold,
    Duration cooldown,
    Duration pollInterval,
    boolean ordered) {

  public static final int DEFAULT_MIN = 0;
  public static final long DEFAULT_LAG_THRESHOLD = 100;
  public static final long DEFAULT_ACTIVATION_LAG_THRESHOLD = 0;
  public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** @throws IllegalArgumentException naming the field, its value and what was expected */
  public ScaleSettings {
    Objects.requireNonNull(cooldown, "cooldown");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (min < 0) {
      throw new IllegalArgumentException("min must be 0 or more, got " + min);
    }
    if (max < Math.max(min, 1)) {
      throw new IllegalArgumentException("max must be at least 1 and at least min (" + min + "), got " + max);
    }
    if (lagThreshold < 1) {
      throw new IllegalArgumentException("lagThreshold must be 1 or more, got " + lagThreshold);
    }
    if (activationLagThreshold < 0) {
      throw new IllegalArgumentException("activationLagThreshold must be 0 or more, got " + activationLagThreshold);
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown must not be negative, got " + cooldown);
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
    }
  }

  /** Unordered delivery scaling between 0 and {@code max} replicas, every other setting at its default. */
  public static ScaleSettings upTo(int max) {
    return new ScaleSettings(DEFAULT_MIN, max, DEFAULT_LAG_THRESHOLD, DEFAULT_ACTIVATION_LAG_THRESHOLD,
        DEFAULT_COOLDOWN, DEFAULT_POLL_INTERVAL, false);
  }

  public ScaleSettings withMin(int newMin) {
    return new ScaleSettings(newMin, max, lagThreshold, activationLagThreshold, cooldown, pollInterval, ordered);
  }

  public ScaleSettings withThresholds(long newLagThreshold, long newActivationLagThreshold) {
    return new ScaleSettings(min, max, newLagThreshold, newActivationLagThreshold, cooldown, pollInterval, ordered);
  }

  public ScaleSettings withCooldown(Duration newCooldown) {
    return new ScaleSettings(min, max, lagThreshold, activationLagThreshold, newCooldown, pollInterval, ordered);
  }

  public ScaleSettings withPollInterval(Duration newPollInterval) {
    return new ScaleSettings(min, max, lagThreshold, activationLagThreshold, cooldown, newPollInterval, ordered);
  }

  public ScaleSettings withOrdered(boolean newOrdered) {
    return new ScaleSettings(min, max, lagThreshold, activationLagThreshold, cooldown, pollInterval, newOrdered);
  }
}
