package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryLedgerTest {

  private static final TopicPartition P0 = new TopicPartition("orders", 0);

  @Test
  void aCommitCarriesTheFailedAttemptsOfTheEventsAtOrAfterItsOffset() {
    RetryLedger ledger = new RetryLedger();
    ledger.failed(P0, 3, 1);
    ledger.failed(P0, 7, 2);

    assertEquals("fnmesh.attempts=3:1,7:2", ledger.metadata(P0, 3));
    assertEquals("fnmesh.attempts=7:2", ledger.metadata(P0, 4));
  }

  @Test
  void theNextOwnerGoesOnCountingWhereThePreviousStopped() {
    RetryLedger previous = new RetryLedger();
    previous.failed(P0, 5, 2);
    RetryLedger next = new RetryLedger();

    next.carried(Map.of(P0, new OffsetAndMetadata(5, previous.offer(P0, 5))));

    assertEquals(2, next.failedBefore(P0, 5));
    assertEquals(0, next.failedBefore(P0, 6));
  }

  @Test
  void aSettledEventIsNoLongerCarriedAndTheChangeIsCommittedOnce() {
    RetryLedger ledger = new RetryLedger();
    ledger.failed(P0, 5, 1);
    assertTrue(ledger.changedSince(P0, 5));
    ledger.offer(P0, 5);
    assertEquals(false, ledger.changedSince(P0, 5));

    ledger.settled(P0, 5);

    assertTrue(ledger.changedSince(P0, 5));
    assertEquals("", ledger.offer(P0, 5));
  }

  @Test
  void metadataThatIsNotFnmeshsIsIgnored() {
    RetryLedger ledger = new RetryLedger();

    ledger.carried(Map.of(P0, new OffsetAndMetadata(5, "written by another tool")));
    ledger.carried(Map.of(P0, new OffsetAndMetadata(5, "fnmesh.attempts=x:1,6:z,7:3")));

    assertEquals(3, ledger.failedBefore(P0, 7));
    assertEquals(0, ledger.failedBefore(P0, 6));
  }

  @Test
  void atMostAHundredEventsAreCarriedSoTheCommitStaysUnderKafkasMetadataLimit() {
    RetryLedger ledger = new RetryLedger();
    for (long offset = Long.MAX_VALUE - 500; offset < Long.MAX_VALUE; offset++) {
      ledger.failed(P0, offset, 999);
    }

    String metadata = ledger.metadata(P0, 0);

    assertEquals(RetryLedger.MAX_ENTRIES, metadata.substring(RetryLedger.PREFIX.length()).split(",").length);
    assertTrue(metadata.length() < 4096, "length " + metadata.length());
  }

  @Test
  void aRevokedPartitionsCountsAreForgotten() {
    RetryLedger ledger = new RetryLedger();
    ledger.failed(P0, 5, 1);

    ledger.forget(List.of(P0));

    assertEquals(0, ledger.failedBefore(P0, 5));
  }
}
