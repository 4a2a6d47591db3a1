package dev.fnmesh.controller.cluster;

import dev.fnmesh.host.cluster.StateEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TriggerConditionsTest {

  private static final String TRIGGER = "work";

  @Test
  void aTriggerStalledOnOneHostIsStalledWithThatHostsReason() {
    TriggerConditions conditions = TriggerConditions.of(TRIGGER, List.of(
        beat("a", 1, Map.of(), Map.of()),
        beat("b", 2, Map.of(TRIGGER, new StateEntry.Trouble("restarting", "consumer died")), Map.of()),
        beat("c", 1, Map.of(TRIGGER, new StateEntry.Trouble("stalled", "reply too large")), Map.of())));

    assertEquals(new TriggerConditions(4, "stalled", Optional.of("host c: reply too large"), List.of()), conditions);
  }

  @Test
  void aTriggerRestartingSomewhereAndStalledNowhereIsRestarting() {
    TriggerConditions conditions = TriggerConditions.of(TRIGGER, List.of(
        beat("b", 1, Map.of(TRIGGER, new StateEntry.Trouble("restarting", "consumer died")), Map.of()),
        beat("a", 1, Map.of("other", new StateEntry.Trouble("stalled", "not this trigger")), Map.of())));

    assertEquals(new TriggerConditions(2, "restarting", Optional.of("host b: consumer died"), List.of()), conditions);
  }

  @Test
  void everyHostsWarningsAreShownOnce() {
    String fewReplicas = "topic work has 1 replica, fewer than the 3 asked";
    TriggerConditions conditions = TriggerConditions.of(TRIGGER, List.of(
        beat("a", 1, Map.of(), Map.of(TRIGGER, List.of(fewReplicas))),
        beat("b", 1, Map.of(), Map.of(TRIGGER, List.of(fewReplicas, "topic work.replies is compacted")))));

    assertEquals(List.of(fewReplicas, "topic work.replies is compacted"), conditions.warnings());
    assertEquals("running", conditions.state());
  }

  @Test
  void aTriggerThatRunsNowhereAndCouldNotStartSomewhereFailed() {
    StateEntry.HostBeat noJar = new StateEntry.HostBeat("a", "http://a", Map.of(), Map.of(TRIGGER, "no jar"));

    assertEquals(new TriggerConditions(0, "failed", Optional.of("host a: no jar"), List.of()),
        TriggerConditions.of(TRIGGER, List.of(noJar)));
  }

  private static StateEntry.HostBeat beat(String host, int replicas, Map<String, StateEntry.Trouble> troubled,
      Map<String, List<String>> warnings) {
    return new StateEntry.HostBeat(host, "http://" + host, Map.of(TRIGGER, replicas), Map.of(), troubled, warnings);
  }
}
