package dev.fnmesh.host.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Restart delays of a crashing function process. */
class ProcessRestartBackoffTest {

  @Test
  void doublesFromHalfASecondUpToThirtySecondsWhileTheProcessKeepsCrashing() {
    ProcessRestartBackoff backoff = new ProcessRestartBackoff();
    List<Long> delays = new ArrayList<>();

    for (int i = 0; i < 9; i++) {
      delays.add(backoff.after(Duration.ofSeconds(1)).toMillis());
    }

    assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L), delays);
  }

  @Test
  void startsOverAtHalfASecondOnceAProcessStayedUpForAMinute() {
    ProcessRestartBackoff backoff = new ProcessRestartBackoff();
    for (int i = 0; i < 5; i++) {
      backoff.after(Duration.ZERO);
    }

    assertEquals(Duration.ofMillis(500), backoff.after(Duration.ofSeconds(60)));
    assertEquals(Duration.ofSeconds(1), backoff.after(Duration.ofSeconds(59)));
  }
}
