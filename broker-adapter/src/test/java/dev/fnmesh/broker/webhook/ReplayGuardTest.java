package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.ReplayGuard.Admission;
import dev.fnmesh.broker.webhook.signature.ReplayKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The keys of accepted timestamped requests: a repeat within the tolerance is a replay; the set stays bounded. */
class ReplayGuardTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private final MovableClock clock = new MovableClock(NOW);
  private final ReplayGuard guard = new ReplayGuard(clock, 3);

  private static ReplayKey key(String value, Duration validFor) {
    return new ReplayKey(value, "X-Signature", NOW.plus(validFor));
  }

  @Test
  void aKeySeenBeforeWithinItsToleranceIsAReplayOfTheSameWebhookOnly() {
    ReplayKey key = key("abc", Duration.ofMinutes(5));

    assertEquals(Admission.FIRST, guard.admit("stripe", key));
    assertEquals(Admission.REPLAY, guard.admit("stripe", key));
    assertEquals(Admission.REPLAY, guard.admit("stripe", new ReplayKey("abc", "X-Signature", NOW.plusSeconds(1))));
    assertEquals(Admission.FIRST, guard.admit("slack", key));
  }

  @Test
  void aKeyIsEvictedOnceItsToleranceHasPassedAndMakesRoomForOthers() {
    guard.admit("p", key("a", Duration.ofMinutes(1)));
    guard.admit("p", key("b", Duration.ofMinutes(5)));
    guard.admit("p", key("c", Duration.ofMinutes(5)));
    assertEquals(3, guard.size());

    clock.advance(Duration.ofMinutes(1));

    assertEquals(Admission.FIRST, guard.admit("p", key("d", Duration.ofMinutes(5))));
    assertEquals(3, guard.size());
    clock.advance(Duration.ofMinutes(4));
    assertEquals(Admission.FIRST, guard.admit("p", key("e", Duration.ofMinutes(10))));
    assertEquals(1, guard.size());
  }

  @Test
  void whenFullOfKeysStillWithinTheirToleranceANewKeyIsNotRememberedButAReplayIsStillTold() {
    for (String value : List.of("a", "b", "c")) {
      assertEquals(Admission.FIRST, guard.admit("p", key(value, Duration.ofMinutes(5))));
    }

    assertEquals(Admission.FULL, guard.admit("p", key("d", Duration.ofMinutes(5))));
    assertEquals(3, guard.size());
  }

  @Test
  void aForgottenKeyIsNewAgain() {
    ReplayKey key = key("abc", Duration.ofMinutes(5));
    guard.admit("p", key);

    guard.forget("p", key);

    assertEquals(0, guard.size());
    assertEquals(Admission.FIRST, guard.admit("p", key));
  }

  @Test
  void ofManyThreadsAdmittingTheSameKeyAtOnceExactlyOneIsFirst() throws Exception {
    ReplayGuard shared = new ReplayGuard(clock, ReplayGuard.DEFAULT_CAPACITY);
    ReplayKey key = key("raced", Duration.ofMinutes(5));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Admission>> admissions = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        admissions.add(() -> shared.admit("p", key));
      }
      List<Admission> results = new ArrayList<>();
      for (Future<Admission> result : threads.invokeAll(admissions)) {
        results.add(result.get());
      }
      assertEquals(1, results.stream().filter(Admission.FIRST::equals).count(), results::toString);
      assertEquals(1, shared.size());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void refusesACapacityBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new ReplayGuard(clock, 0));
  }
}
