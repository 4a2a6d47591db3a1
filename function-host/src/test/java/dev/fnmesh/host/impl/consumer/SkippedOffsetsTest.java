package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Offsets a {@code read_committed} consumer never receives (transaction markers, aborted records) are
 * committed past once nothing before them is unfinished, also on a partition that never delivered a record.
 */
class SkippedOffsetsTest {

  private static final TopicPartition ABORTED_ONLY = new TopicPartition("orders", 3);
  private static final TopicPartition MIXED = new TopicPartition("orders", 0);

  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void anAssignedPartitionHoldingOnlyAnAbortedTransactionCommitsTheConsumersPosition() {
    tracker.assign(List.of(ABORTED_ONLY));

    // One aborted record at 0 and its marker at 1: the consumer skipped both and stands at 2.
    assertEquals(Map.of(ABORTED_ONLY, new OffsetAndMetadata(2)), tracker.committable(partition -> 2));
    assertEquals(Map.of(), tracker.committable(partition -> 2), "handed out once");
  }

  @Test
  void aPartitionWhosePositionIsUnknownCommitsNothing() {
    tracker.assign(List.of(ABORTED_ONLY));

    assertEquals(Map.of(), tracker.committable(partition -> -1));
  }

  @Test
  void thePositionIsNeverCommittedPastARecordStillUnfinished() {
    tracker.assign(List.of(MIXED));
    tracker.track(MIXED, 0);
    tracker.track(MIXED, 1);
    tracker.finish(MIXED, 1);

    assertEquals(Map.of(), tracker.committable(partition -> 7), "offset 0 is unfinished");
    tracker.finish(MIXED, 0);
    assertEquals(Map.of(MIXED, new OffsetAndMetadata(7)), tracker.committable(partition -> 7),
        "the commit marker at 2 and the aborted transaction up to 6 are skipped");
  }

  @Test
  void assigningAPartitionAgainKeepsWhatItTracks() {
    tracker.assign(List.of(MIXED));
    tracker.track(MIXED, 4);
    tracker.assign(List.of(MIXED));

    assertEquals(1, tracker.inFlight());
    assertEquals(Map.of(), tracker.committable(partition -> 5));
  }
}
