package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** What the webhook ITs read back from the real broker: the events on a topic and how many records it holds. */
final class TopicRecords {

  private TopicRecords() {}

  /** The first {@code count} events of the topic, waiting up to 30 s for them. */
  static List<CloudEvent> readEvents(String topic, int count) {
    try (KafkaConsumer<byte[], byte[]> consumer = assignedConsumer(topic)) {
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records.size() >= count;
      });
      return records.stream().map(CloudEventRecords::fromRecord).toList();
    }
  }

  /** The number of records ever written to the topic, over all its partitions. */
  static long endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = assignedConsumer(topic)) {
      return consumer.endOffsets(consumer.assignment()).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static KafkaConsumer<byte[], byte[]> assignedConsumer(String topic) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(KafkaFixture.consumerConfig("webhook-it-" + UUID.randomUUID()));
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }
}
