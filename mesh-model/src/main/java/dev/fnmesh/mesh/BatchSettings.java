package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * Events of one partition handed to the function together: a batch closes at {@code maxEvents} events, at
 * {@code maxBytes} of their records' keys and values, or {@code maxWait} after its first event joined it,
 * whichever comes first.
 *
 * @param maxEvents the most events one batch holds
 * @param maxWait how long a batch that is not full waits for more events after its first
 * @param maxBytes the most bytes of record keys and values one batch holds; a single larger event still
 *     goes alone
 */
public record BatchSettings(int maxEvents, Duration maxWait, long maxBytes) {

  public static final int DEFAULT_MAX_EVENTS = 100;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(500);
  public static final long DEFAULT_MAX_BYTES = 1_048_576;
  /** The schema's bounds. */
  public static final int MAX_EVENTS = 10_000;
  public static final long MAX_BYTES = 67_108_864;

  public BatchSettings {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("batch maxEvents must be between 1 and " + MAX_EVENTS + ", got " + maxEvents);
    }
    if (maxWait.isZero() || maxWait.isNegative()) {
      throw new IllegalArgumentException("batch maxWait must be positive, got " + maxWait);
    }
    if (maxBytes < 1 || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException("batch maxBytes must be between 1 and " + MAX_BYTES + ", got " + maxBytes);
    }
  }

  /** 100 events, 0.5 s, 1 MiB. */
  public static BatchSettings defaults() {
    return new BatchSettings(DEFAULT_MAX_EVENTS, DEFAULT_MAX_WAIT, DEFAULT_MAX_BYTES);
  }
}
