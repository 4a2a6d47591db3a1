package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.PublishException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed write is classified by the Kafka error under its wrappers: retried, written smaller, or stalling. */
class WriteFailureTest {

  @Test
  void aBrokerAwayOrAMovingLeaderIsRetriable() {
    assertEquals(WriteFailure.RETRIABLE, WriteFailure.of(wrapped(new TimeoutException("Expiring 1 record(s)"))));
    assertEquals(WriteFailure.RETRIABLE, WriteFailure.of(wrapped(new NotEnoughReplicasException("1 of 2"))));
    assertEquals(WriteFailure.RETRIABLE, WriteFailure.of(wrapped(new UnknownTopicOrPartitionException("moving"))));
    assertEquals(WriteFailure.RETRIABLE, WriteFailure.of(wrapped(new KafkaException("producer error, no answer"))));
  }

  @Test
  void aRecordOverTheSizeLimitIsTooLarge() {
    assertEquals(WriteFailure.TOO_LARGE, WriteFailure.of(wrapped(new RecordTooLargeException("2 MiB"))));
  }

  @Test
  void aRefusalThatRepeatsStallsEvenInsideAGenericKafkaException() {
    assertEquals(WriteFailure.REFUSED, WriteFailure.of(wrapped(new TopicAuthorizationException(Set.of("replies")))));
    assertEquals(WriteFailure.REFUSED, WriteFailure.of(wrapped(new InvalidTopicException("bad name"))));
    assertEquals(WriteFailure.REFUSED, WriteFailure.of(
        new PublishException("replies", new KafkaException("send failed", new TopicAuthorizationException("no")))));
  }

  @Test
  void aRecordThatCouldNotBeMadeStallsRatherThanBeingRetriedSilently() {
    assertEquals(WriteFailure.REFUSED, WriteFailure.of(wrapped(new IllegalArgumentException("not encodable"))));
  }

  @Test
  void describesTheKafkaErrorNotItsWrappers() {
    assertEquals("RecordTooLargeException: The message is 2000000 bytes",
        WriteFailure.describe(wrapped(new RecordTooLargeException("The message is 2000000 bytes"))));
  }

  private static Throwable wrapped(Throwable kafka) {
    return new CompletionException(new PublishException("replies", kafka));
  }
}
