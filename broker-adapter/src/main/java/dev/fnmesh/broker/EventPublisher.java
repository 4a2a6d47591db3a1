package dev.fnmesh.broker;

import dev.fnmesh.broker.impl.KafkaEventPublisher;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Writes CloudEvents to Kafka topics in the Kafka protocol binding's binary mode ({@code ce_*} headers,
 * the {@code partitionkey} extension as the record key). One idempotent producer with {@code acks=all}
 * serves every caller; it is thread-safe. No method blocks the calling thread, an event loop included: when
 * Kafka takes events slower than they arrive, a write fails at once with {@link PublishException.Kind#BUSY}.
 */
public interface EventPublisher {

  /**
   * Writes the events, in order, to the topic, all or none: more than one are written in one Kafka
   * transaction, so read_committed consumers see every one of them or none.
   *
   * @return a future completed on the caller's context once the broker acknowledged every event; it fails
   *     with {@link PublishException} when they could not be written: the transaction was aborted, or, when
   *     Kafka timed out on its commit, its outcome is Kafka's to decide (all or none, never a part)
   */
  Future<Void> publish(String topic, List<CloudEvent> events);

  /**
   * Writes one event without leaving the calling thread, for hot paths that already ran
   * {@link #prepare(String)} for the topic (without its metadata the send fails at once).
   *
   * @param fallbackKey the record key when the event has no {@code partitionkey} extension; may be null
   * @return a stage completed on the producer's I/O thread when the broker acknowledged the event, or
   *     failed with {@link PublishException}
   */
  CompletionStage<Void> send(String topic, CloudEvent event, byte[] fallbackKey);

  /**
   * Writes a record as it is, for what cannot be a CloudEvent (a record that is not one, headed for a
   * dead-letter topic). Same completion rules as {@link #send}.
   */
  CompletionStage<Void> sendRecord(ProducerRecord<byte[], byte[]> record);

  /**
   * Has the topic's metadata fetched, waiting on timers rather than a thread, so that sends to it can be
   * made without waiting; a send to a topic not prepared fails at once.
   *
   * @return a future that fails when the topic does not exist or Kafka cannot be reached within the
   *     producer's {@code max.block.ms}
   */
  Future<Void> prepare(String topic);

  /** Flushes what is buffered and closes the producer, on a worker thread. */
  Future<Void> close();

  static EventPublisher create(Vertx vertx, KafkaSettings settings) {
    return create(vertx, settings, KafkaClientMeters.none());
  }

  /** @param meters where the producer's metrics are published */
  static EventPublisher create(Vertx vertx, KafkaSettings settings, KafkaClientMeters meters) {
    return new KafkaEventPublisher(vertx, settings, meters);
  }
}
