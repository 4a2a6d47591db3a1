package dev.fnmesh.host.impl.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * One partition's fetched offsets: only the contiguous finished prefix is ever handed out for commit,
 * however the offsets finish and however many are in flight.
 */
class PartitionOffsetsTest {

  private final PartitionOffsets offsets = new PartitionOffsets();

  private void track(long fromInclusive, long toExclusive) {
    for (long offset = fromInclusive; offset < toExclusive; offset++) {
      offsets.track(offset);
    }
  }

  @Test
  void hasNothingToCommitBeforeAnyOffsetIsTracked() {
    assertEquals(-1, offsets.advance());
  }

  @Test
  void hasNothingToCommitWhileTheFirstOffsetIsUnfinished() {
    track(0, 3);
    offsets.finish(1);
    offsets.finish(2);

    assertEquals(-1, offsets.advance());
  }

  @Test
  void commitsOnePastTheLastOffsetOfTheFinishedPrefix() {
    track(0, 3);
    offsets.finish(0);
    offsets.finish(1);
    offsets.finish(2);

    assertEquals(3, offsets.advance());
  }

  @Test
  void commitsOnlyUpToTheFirstUnfinishedOffsetWhenOffsetsFinishOutOfOrder() {
    track(0, 5);
    offsets.finish(4);
    offsets.finish(1);
    offsets.finish(0);

    assertEquals(2, offsets.advance());

    offsets.finish(3);
    assertEquals(-1, offsets.advance());

    offsets.finish(2);
    assertEquals(5, offsets.advance());
  }

  @Test
  void handsOutTheSameCommitOnlyOnce() {
    track(0, 2);
    offsets.finish(0);
    offsets.finish(1);

    assertEquals(2, offsets.advance());
    assertEquals(-1, offsets.advance());
  }

  @Test
  void handsOutACommitThatFailedAgainThoughNothingFinishedSince() {
    track(0, 2);
    offsets.finish(0);
    offsets.finish(1);
    long taken = offsets.advance();

    offsets.commitFailed(taken);

    assertEquals(2, offsets.advance(), "an idle partition is committed again");
    assertEquals(-1, offsets.advance());
  }

  @Test
  void forgetsAFailedCommitOvertakenByALaterOne() {
    track(0, 2);
    offsets.finish(0);
    long first = offsets.advance();
    offsets.finish(1);
    assertEquals(2, offsets.advance());

    offsets.commitFailed(first);

    assertEquals(-1, offsets.advance(), "the later commit covers the failed one");
  }

  @Test
  void countsAnOffsetFinishedOnlyTheFirstTime() {
    track(0, 2);

    assertTrue(offsets.finish(1));
    assertFalse(offsets.finish(1));
    assertEquals(1, offsets.unfinished());
  }

  @Test
  void ignoresFinishingAnOffsetThatWasNeverTracked() {
    track(0, 2);

    assertFalse(offsets.finish(7));
    assertEquals(2, offsets.unfinished());
  }

  @Test
  void ignoresFinishingAnOffsetAlreadyCommitted() {
    track(0, 2);
    offsets.finish(0);
    offsets.advance();

    assertFalse(offsets.finish(0));
    assertEquals(1, offsets.unfinished());
  }

  // A compacted topic, or transaction markers, leave holes: the commit is one past the last finished
  // offset, never one past an offset that was never fetched.
  @Test
  void commitsAcrossGapsBetweenTrackedOffsets() {
    offsets.track(5);
    offsets.track(9);
    offsets.track(12);

    assertFalse(offsets.finish(6));
    assertTrue(offsets.finish(9));
    assertEquals(-1, offsets.advance());

    assertTrue(offsets.finish(5));
    assertEquals(10, offsets.advance());

    assertTrue(offsets.finish(12));
    assertEquals(13, offsets.advance());
  }

  @Test
  void keepsTrackingBeyondItsInitialCapacityOf1024() {
    track(0, 3000);
    // Finishing backwards leaves the prefix blocked until the very last call.
    for (long offset = 2999; offset > 0; offset--) {
      assertTrue(offsets.finish(offset), "offset " + offset);
    }
    assertEquals(-1, offsets.advance());
    assertEquals(1, offsets.unfinished());

    assertTrue(offsets.finish(0));
    assertEquals(3000, offsets.advance());
    assertEquals(0, offsets.unfinished());
  }

  // Committing moves the start of the ring; growing then has to unwrap it without losing order.
  @Test
  void keepsTrackingWhenItGrowsAfterTheRingWrappedAround() {
    track(0, 1000);
    for (long offset = 0; offset < 500; offset++) {
      offsets.finish(offset);
    }
    assertEquals(500, offsets.advance());

    track(1000, 2600);
    for (long offset = 2599; offset >= 500; offset--) {
      assertTrue(offsets.finish(offset), "offset " + offset);
    }

    assertEquals(0, offsets.unfinished());
    assertEquals(2600, offsets.advance());
  }

  @Test
  void countsTheTrackedOffsetsNotYetFinished() {
    track(0, 4);
    offsets.finish(2);
    offsets.finish(0);
    offsets.advance();

    assertEquals(2, offsets.unfinished());
  }

  @Test
  void aPartitionWithNothingUnfinishedCommitsUpToThePositionPastATransactionMarker() {
    PartitionOffsets offsets = new PartitionOffsets();
    offsets.track(0);
    offsets.track(1);
    offsets.finish(0);

    assertEquals(1, offsets.advance(3), "offset 1 is unfinished: the position does not count");
    offsets.finish(1);
    assertEquals(3, offsets.advance(3), "offset 2, the commit marker, is not a record to wait for");
    assertEquals(-1, offsets.advance(3));
  }

  @Test
  void aPositionBehindThePrefixChangesNothing() {
    PartitionOffsets offsets = new PartitionOffsets();
    offsets.track(5);
    offsets.finish(5);

    assertEquals(6, offsets.advance(-1));
    assertEquals(-1, offsets.advance(4));
  }
}
