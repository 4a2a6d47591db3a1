package dev.fnmesh.host.impl.consumer;

import java.time.Duration;

/**
 * Delays that double after each consecutive failure, from {@code first} up to {@code max}.
 *
 * @param first the delay after the first failure
 * @param max the longest delay
 */
record Backoff(Duration first, Duration max) {

  /** @param failures consecutive failures so far, at least 1 */
  Duration delay(int failures) {
    // Past 2^20 times the first delay any sane cap was reached: no overflow.
    Duration delay = first.multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 20));
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
