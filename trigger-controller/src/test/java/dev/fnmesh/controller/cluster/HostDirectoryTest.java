package dev.fnmesh.controller.cluster;

import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.host.cluster.StateEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostDirectoryTest {

  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void aHostIsLiveUntilItWasSilentForLongerThanTheTimeout() {
    HostDirectory directory = new HostDirectory(Duration.ofSeconds(5));
    directory.beat("a", T0);
    assertEquals(Set.of("a"), directory.live(T0.plusSeconds(5)));
    assertEquals(Set.of(), directory.live(T0.plusSeconds(6)));
  }

  @Test
  void anOlderBeatReadLateDoesNotMakeAHostOlder() {
    HostDirectory directory = new HostDirectory(Duration.ofSeconds(5));
    directory.beat("a", T0.plusSeconds(10));
    directory.beat("a", T0);
    assertEquals(Set.of("a"), directory.live(T0.plusSeconds(14)));
  }

  @Test
  void aHostThatLeftIsNotLiveUntilItBeatsAgain() {
    HostDirectory directory = new HostDirectory(Duration.ofSeconds(5));
    directory.beat("a", T0);
    directory.beat("b", T0);
    directory.gone("a");
    assertEquals(Set.of("b"), directory.live(T0));
    directory.beat("a", T0.plusSeconds(1));
    assertEquals(Set.of("a", "b"), directory.live(T0.plusSeconds(1)));
  }

  @Test
  void whenNothingAtAllIsHeardForLongerThanTheTimeoutTheHostsHeardLastStayLive() {
    HostDirectory directory = new HostDirectory(Duration.ofSeconds(5));
    directory.beat("a", T0);
    directory.beat("b", T0.plusSeconds(3));
    directory.heard(T0.plusSeconds(3));
    assertEquals(Set.of("a", "b"), directory.live(T0.plusSeconds(60)), "the silence is the reader's");

    directory.beat("b", T0.plusSeconds(61));
    directory.heard(T0.plusSeconds(61));
    assertEquals(Set.of("b"), directory.live(T0.plusSeconds(61)), "heard again: the host that stayed silent left");
  }

  @Test
  void failuresAreThoseOfTheLiveHostsByTrigger() {
    HostDirectory directory = new HostDirectory(Duration.ofSeconds(5));
    directory.report(new StateEntry.HostBeat("a", "http://a", Map.of(), Map.of("resize", "no jar")), T0);
    directory.report(new StateEntry.HostBeat("b", "http://b", Map.of("resize", 1), Map.of()), T0);
    directory.report(new StateEntry.HostBeat("c", "http://c", Map.of(), Map.of("resize", "no jar")), T0.minusSeconds(30));
    assertEquals(Map.of("resize", Set.of("a")), directory.failures(T0.plusSeconds(1)));
  }

  @Test
  void settingsRefuseATimeoutShorterThanTwoBeats() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new ClusterSettings("fnmesh.state", Duration.ofSeconds(1), Duration.ofMillis(1500)));
    assertEquals("hostTimeout must be at least two beat intervals (PT2S), got PT1.5S", error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClusterSettings(" ", Duration.ofSeconds(1), Duration.ofSeconds(5)));
  }
}
