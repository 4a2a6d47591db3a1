package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Objects;
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
 * @param guarantee whether an event's outcome and its offset are written in one Kafka transaction
 * @param batch how events are grouped into one invocation; empty for one event per invocation
 */
public record DeliverySettings(
    int retry,
    BackoffPolicy backoffPolicy,
    Duration backoffDelay,
    Optional<Duration> backoffMax,
    Duration timeout,
    String deadLetterTopic,
    Ordering ordering,
    int maxInFlight,
    Guarantee guarantee,
    Optional<BatchSettings> batch) {

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
    if (guarantee == Guarantee.EXACTLY_ONCE && ordering != Ordering.ORDERED) {
      throw new IllegalArgumentException(EXACTLY_ONCE_UNORDERED);
    }
    Objects.requireNonNull(batch, "batch");
  }

  /** Settings that deliver one event per invocation. */
  public DeliverySettings(int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, Optional<Duration> backoffMax,
      Duration timeout, String deadLetterTopic, Ordering ordering, int maxInFlight, Guarantee guarantee) {
    this(retry, backoffPolicy, backoffDelay, backoffMax, timeout, deadLetterTopic, ordering, maxInFlight, guarantee,
        Optional.empty());
  }

  /** Settings delivered at least once. */
  public DeliverySettings(int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, Optional<Duration> backoffMax,
      Duration timeout, String deadLetterTopic, Ordering ordering, int maxInFlight) {
    this(retry, backoffPolicy, backoffDelay, backoffMax, timeout, deadLetterTopic, ordering, maxInFlight,
        Guarantee.AT_LEAST_ONCE);
  }

  /** Why exactly-once delivery refuses unordered and key: a partition commits one offset, below every unfinished event. */
  public static final String EXACTLY_ONCE_UNORDERED = "exactly-once needs ordering: ordered (with unordered or key, a"
      + " partition's committed offset cannot skip an unfinished event, so the outcomes of the events after it would be"
      + " written again after a crash)";

  public DeliverySettings withGuarantee(Guarantee newGuarantee) {
    return new DeliverySettings(retry, backoffPolicy, backoffDelay, backoffMax, timeout, deadLetterTopic, ordering,
        maxInFlight, newGuarantee, batch);
  }

  public DeliverySettings withBatch(BatchSettings newBatch) {
    return new DeliverySettings(retry, backoffPolicy, backoffDelay, backoffMax, timeout, deadLetterTopic, ordering,
        maxInFlight, guarantee, Optional.of(newBatch));
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
   * What a crash may cost. At least once: an event handled whose offset was not committed yet is handled
   * again, its reply written again. Exactly once: replies, dead letters and the offsets they finish are
   * written in one Kafka transaction, so a read_committed reader sees each outcome once.
   */
  public enum Guarantee { AT_LEAST_ONCE, EXACTLY_ONCE }

  /**
   * How events of a partition are handed to the function: {@code ORDERED} one at a time in offset order;
   * {@code UNORDERED} up to {@code maxInFlight} at once; {@code KEY} up to {@code maxInFlight} at once, those
   * of one key one at a time in offset order.
   */
  public enum Ordering { ORDERED, UNORDERED, KEY }
}
