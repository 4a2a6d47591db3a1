package dev.fnmesh.launcher;

import java.time.Duration;
import java.time.Instant;

/**
 * The time since this process was launched, for the log lines that say how far its start got. The launcher
 * script replaces itself with the JVM, so the process began when the script did: the count includes the
 * script's own check and the JVM's start, not only what runs in {@code main}.
 */
final class StartClock {

  private final Instant launched;

  private StartClock(Instant launched) {
    this.launched = launched;
  }

  /** Counting from this process's start, or from now where the system does not say when that was. */
  static StartClock ofThisProcess() {
    return new StartClock(ProcessHandle.current().info().startInstant().orElseGet(Instant::now));
  }

  long elapsedMs() {
    return Duration.between(launched, Instant.now()).toMillis();
  }
}
