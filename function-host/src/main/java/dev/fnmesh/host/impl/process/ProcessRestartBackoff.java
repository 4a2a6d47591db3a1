package dev.fnmesh.host.impl.process;

import java.time.Duration;

/**
 * The delays before restarting a function process that exited: 0.5 s, doubling up to 30 s, back to 0.5 s
 * once a process stayed up for 60 s, so a crash loop backs off while a rare crash restarts at once.
 * Not thread-safe: one supervisor uses it on its context.
 */
final class ProcessRestartBackoff {

  static final Duration FIRST = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(30);
  static final Duration STABLE = Duration.ofSeconds(60);

  private Duration next = FIRST;

  /**
   * @param uptime how long the process ran before it exited; zero for a start that failed
   * @return how long to wait before the next start
   */
  Duration after(Duration uptime) {
    if (uptime.compareTo(STABLE) >= 0) {
      next = FIRST;
    }
    Duration delay = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    return delay;
  }
}
