package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Optional;

/**
 * How a trigger delivers events to its function, with Knative's names and meanings.
 *
 * @param retry attempts after the first
 * @param backoffPolicy how the delay grows between attempts
 * @param backoffDelay the base delay
 * @param backoffMax the cap on one delay, if any
 * @param timeout the time one attempt may take
 * @param deadLetterTopic where an event goes that exhausted its attempts or cannot succeed
 * @param ordering whether a partition's events are handled one at a time in offset order, per key, or in any order
 * @param maxInFlight events handled at once per partition when unordered or ordered by key
 */
public record DeliverySettings(
    int retry,
    BackoffPolicy backoffPolicy,
    Duration backoffDelay,
    Optional<Duration> backoffMax,
    Duration timeout,
    String deadLetterTopic,
    Ordering ordering,
    int maxInFlight) {

  public static final Duration DEFAULT_BACKOFF_DELAY = Duration.ofMillis(200);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_IN_FLIGHT = 100;

  public DeliverySettings {
    if (retry < 0) {
      throw new IllegalArgumentException("retry must be 0 or more, got " + retry);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /** The defaults: no retry, exponential 0.2 s backoff, 30 s timeout, ordered, dead letters to {@code fnmesh.<trigger>.dlq}. */
  public static DeliverySettings defaults(String triggerName) {
    return new DeliverySettings(0, BackoffPolicy.EXPONENTIAL, DEFAULT_BACKOFF_DELAY, Optional.empty(), DEFAULT_TIMEOUT,
        "fnmesh." + triggerName + ".dlq", Ordering.ORDERED, DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * The delay before retry number {@code attempt} (1 for the first retry). Knative defines exponential as {@code delay * 2^n} and linear as {@code delay * n}, with n the retry number.
   */
  public Duration delayBefore(int attempt) {
    Duration delay = switch (backoffPolicy) {
      case EXPONENTIAL -> backoffDelay.multipliedBy(1L << Math.min(attempt, 30));
      case LINEAR -> backoffDelay.multipliedBy(attempt);
    };
    return backoffMax.filter(max -> delay.compareTo(max) > 0).orElse(delay);
  }

  /** How the delay grows between attempts. */
  public enum BackoffPolicy { EXPONENTIAL, LINEAR }

  /**
   * How events of a partition are handed to the function: {@code ORDERED} one at a time in offset order;
   * {@code UNORDERED} up to {@code maxInFlight} at once; {@code KEY} up to {@code maxInFlight} at once, those
   * of one key one at a time in offset order.
   */
  public enum Ordering { ORDERED, UNORDERED, KEY }
}
