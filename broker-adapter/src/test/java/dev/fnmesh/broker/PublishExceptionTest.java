package dev.fnmesh.broker;

import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishExceptionTest {

  @Test
  void aFullBufferIsBusy() {
    assertEquals(PublishException.Kind.BUSY,
        new PublishException("orders", new BufferExhaustedException("no room in 0 ms")).kind());
    assertEquals(PublishException.Kind.BUSY, PublishException.busy("orders", "every lane is full").kind());
  }

  @Test
  void anEventKafkaRefusesForItsSizeIsTooLargeHoweverDeepTheCause() {
    KafkaException aborted = new KafkaException("transaction aborted", new RecordTooLargeException("too large"));
    assertEquals(PublishException.Kind.TOO_LARGE, new PublishException("orders", aborted).kind());
  }

  @Test
  void anythingElseWasNotAcknowledgedAndAWrappedFailureKeepsItsKind() {
    PublishException timedOut = new PublishException("orders", new TimeoutException("metadata not present"));
    assertEquals(PublishException.Kind.NOT_ACKNOWLEDGED, timedOut.kind());
    assertEquals(PublishException.Kind.BUSY,
        new PublishException("orders", PublishException.busy("orders", "full")).kind());
    assertTrue(timedOut.getMessage().contains("'orders'"), timedOut.getMessage());
  }
}
