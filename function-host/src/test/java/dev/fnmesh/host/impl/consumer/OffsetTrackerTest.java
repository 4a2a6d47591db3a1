package dev.fnmesh.host.impl.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * Finished offsets across partitions: what to commit per partition, how many events are in flight, and
 * what happens to partitions that were revoked.
 */
class OffsetTrackerTest {

  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  private final OffsetTracker tracker = new OffsetTracker();

  private void track(TopicPartition partition, long... offsets) {
    for (long offset : offsets) {
      tracker.track(partition, offset);
    }
  }

  @Test
  void commitsEachPartitionsFinishedPrefixOnItsOwn() {
    track(P0, 0, 1, 2);
    track(P1, 10, 11);
    tracker.finish(P0, 0);
    tracker.finish(P0, 1);
    tracker.finish(P1, 11);

    assertEquals(Map.of(P0, new OffsetAndMetadata(2)), tracker.committable());

    tracker.finish(P1, 10);
    assertEquals(Map.of(P1, new OffsetAndMetadata(12)), tracker.committable());
  }

  @Test
  void commitsARetriedEventsAttemptsAtItsOffsetEvenWhenNothingFinishedThenDropsThemOnceItFinished() {
    track(P0, 4, 5);
    tracker.retries().failed(P0, 4, 2);

    assertEquals(Map.of(P0, new OffsetAndMetadata(4, "fnmesh.attempts=4:2")), tracker.committable());
    assertEquals(Map.of(), tracker.committable());

    tracker.finish(P0, 4);
    assertEquals(Map.of(P0, new OffsetAndMetadata(5, "")), tracker.committable());
  }

  @Test
  void hasNothingToCommitTwice() {
    track(P0, 0);
    tracker.finish(P0, 0);
    tracker.committable();

    assertEquals(Map.of(), tracker.committable());
  }

  @Test
  void countsEventsInFlightOverAllPartitions() {
    track(P0, 0, 1);
    track(P1, 5);
    tracker.finish(P0, 1);

    assertEquals(2, tracker.inFlight());
  }

  @Test
  void countsAnEventFinishedTwiceOnlyOnce() {
    track(P0, 0, 1);
    tracker.finish(P0, 0);
    tracker.finish(P0, 0);

    assertEquals(1, tracker.inFlight());
  }

  @Test
  void ignoresFinishingAnOffsetOfAPartitionNeverTracked() {
    track(P0, 0);
    tracker.finish(P1, 0);

    assertEquals(1, tracker.inFlight());
  }

  @Test
  void dropsTheUnfinishedEventsOfRevokedPartitionsFromInFlight() {
    track(P0, 0, 1, 2);
    track(P1, 0, 1);
    tracker.finish(P0, 0);

    tracker.forget(List.of(P0));

    assertEquals(2, tracker.inFlight());
  }

  // The events of a revoked partition may still finish afterwards: they belong to another consumer now.
  @Test
  void ignoresEventsOfARevokedPartitionThatFinishAfterwards() {
    track(P0, 0, 1);
    track(P1, 0);
    tracker.forget(List.of(P0));

    tracker.finish(P0, 0);
    tracker.finish(P0, 1);

    assertEquals(1, tracker.inFlight());
    assertEquals(Map.of(), tracker.committable());
  }

  @Test
  void tracksAPartitionAssignedAgainAfterItWasRevokedFromScratch() {
    track(P0, 0, 1);
    tracker.finish(P0, 1);
    tracker.forget(List.of(P0));

    track(P0, 0, 1);
    tracker.finish(P0, 0);

    assertEquals(1, tracker.inFlight());
    assertEquals(Map.of(P0, new OffsetAndMetadata(1)), tracker.committable());
  }

  @Test
  void ignoresRevokingAPartitionNeverTracked() {
    track(P0, 0);

    tracker.forget(List.of(P1));

    assertEquals(1, tracker.inFlight());
  }
}
