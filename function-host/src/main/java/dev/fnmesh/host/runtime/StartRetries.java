package dev.fnmesh.host.runtime;

import java.time.Duration;

/**
 * When a trigger that failed to start is started again: after the first delay, doubling with every start in a row
 * that failed, up to a minute. A cause that passes (a topic served late) is retried soon; one that does not (a
 * function whose process exits at once) costs a start a minute, not one every few seconds.
 */
final class StartRetries {

  static final Duration MAX = Duration.ofMinutes(1);

  private StartRetries() {}

  /**
   * @param first the delay after the first failed start
   * @param failedStarts the starts in a row that failed, at least 1
   */
  static Duration delay(Duration first, int failedStarts) {
    Duration delay = first;
    for (int i = 1; i < failedStarts && delay.compareTo(MAX) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }

  /** E.g. {@code 3 starts in a row failed; next in 20 s}, for the trigger's state. */
  static String describe(int failedStarts, Duration delay) {
    String next = delay.toMillis() % 1000 == 0 ? delay.toSeconds() + " s" : delay.toMillis() + " ms";
    return (failedStarts == 1 ? "1 start failed" : failedStarts + " starts in a row failed") + "; next in " + next;
  }
}
