package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes N binary-mode CloudEvents to a topic with a plain producer and fnmesh's codec, keyed by event id
 * so that they spread evenly over the partitions.
 */
final class TopicFiller {

  private final KafkaSettings kafka;
  private final BenchEvents events;

  TopicFiller(KafkaSettings kafka, BenchEvents events) {
    this.kafka = kafka;
    this.events = events;
  }

  /**
   * @return how long writing took, until the last event was acknowledged
   * @throws IllegalStateException when any event was not acknowledged
   */
  Duration fill(String topic, int count) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig("bench-filler-" + topic))) {
      for (int i = 0; i < count && failure.get() == null; i++) {
        String id = "e-" + i;
        ProducerRecord<byte[], byte[]> record =
            CloudEventRecords.toRecord(topic, events.event(id), id.getBytes(StandardCharsets.UTF_8));
        producer.send(record, (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("filling topic=" + topic + " failed: " + failure.get().getMessage(), failure.get());
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
