package dev.fnmesh.host;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a trigger's replicas report of their partitions and consumers, and which problem shows first. */
class TriggerHealthTest {

  private final TriggerHealth health = new TriggerHealth();

  @Test
  void aTriggerWithoutReportsHasNoProblem() {
    assertEquals(Optional.empty(), health.problem());
  }

  @Test
  void aStalledPartitionShowsUntilItResumes() {
    health.stalled("r1", "orders-0", "reply refused");
    assertEquals(Optional.of(new TriggerHealth.Problem("stalled", "reply refused")), health.problem());

    health.resumed("r1", "orders-0");
    assertEquals(Optional.empty(), health.problem());
  }

  @Test
  void aReplicaClearsOnlyItsOwnStallOfAPartitionThatMoved() {
    health.stalled("r1", "orders-0", "refused at r1");
    health.stalled("r2", "orders-0", "refused at r2");

    health.resumed("r1", "orders-0");

    assertEquals(Optional.of(new TriggerHealth.Problem("stalled", "refused at r2")), health.problem());
  }

  @Test
  void aStallShowsBeforeARestartAndCountsTheOtherReports() {
    health.restarting("r1", "consumer died");
    assertEquals(Optional.of(new TriggerHealth.Problem("restarting", "consumer died")), health.problem());

    health.stalled("r2", "orders-0", "refused 0");
    health.stalled("r2", "orders-1", "refused 1");
    assertEquals(Optional.of(new TriggerHealth.Problem("stalled", "refused 0 (and 1 more)")), health.problem());
  }

  @Test
  void aReplicaRunningAgainOrGoneNoLongerReports() {
    health.restarting("r1", "consumer died");
    health.running("r1");
    assertEquals(Optional.empty(), health.problem());

    health.restarting("r2", "consumer died");
    health.stalled("r2", "orders-3", "refused");
    health.gone("r2");
    assertEquals(Optional.empty(), health.problem());
  }
}
