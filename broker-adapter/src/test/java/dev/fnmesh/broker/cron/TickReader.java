package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the tick events of one topic from its start, as a {@code read_committed} consumer downstream would. */
final class TickReader implements AutoCloseable {

  /** One tick as read: its event and when the leader sent it (the record's create time). */
  record Read(CloudEvent event, Instant sentAt) {

    Instant scheduledAt() {
      return event.getTime().toInstant();
    }

    long lateMs() {
      return Duration.between(scheduledAt(), sentAt).toMillis();
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Read> ticks = new ArrayList<>();

  TickReader(String topic) {
    Map<String, Object> config = KafkaFixture.consumerConfig("tick-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(config);
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    if (partitions.isEmpty()) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw new IllegalStateException("topic " + topic + " does not exist yet");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Everything read so far, after reading what arrived since the last call. */
  synchronized List<Read> ticks() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
      ticks.add(new Read(CloudEventRecords.fromRecord(record), Instant.ofEpochMilli(record.timestamp())));
    }
    return List.copyOf(ticks);
  }

  List<String> ids() {
    return ticks().stream().map(read -> read.event().getId()).toList();
  }

  List<Instant> scheduled() {
    return ticks().stream().map(Read::scheduledAt).toList();
  }

  @Override
  public synchronized void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
