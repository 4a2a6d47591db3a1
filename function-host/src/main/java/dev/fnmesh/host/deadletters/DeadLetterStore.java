package dev.fnmesh.host.deadletters;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.EventFilter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A trigger's dead-letter topic, read and redriven with plain Kafka clients. Every call blocks: run it on a
 * worker. A redrive commits what it read under the consumer group {@code fnmesh.<trigger>.dlq-replay}, so a
 * dead letter is put back once, however often a redrive is asked for.
 */
final class DeadLetterStore {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final KafkaSettings kafka;
  private final KafkaClientMeters meters;

  DeadLetterStore(KafkaSettings kafka, KafkaClientMeters meters) {
    this.kafka = kafka;
    this.meters = meters;
  }

  /** The last {@code limit} dead letters of the topic, oldest first. */
  List<ConsumerRecord<byte[], byte[]>> last(String topic, int limit) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("fnmesh-dlq-list-" + UUID.randomUUID());
        KafkaClientMeters.Binding metered = meters.bind(consumer)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - limit));
      }
      List<ConsumerRecord<byte[], byte[]>> records = readUntil(consumer, ends);
      records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
      return records.subList(Math.max(0, records.size() - limit), records.size());
    }
  }

  /**
   * Puts the trigger's dead letters not redriven before back on the topic each was read from (its origin;
   * {@code target} for one that names none), without fnmesh's error extensions and with the trace context
   * it had. Dead letters of other triggers sharing the topic are left to them.
   *
   * @param target the trigger's topic now: the one origin of fnmesh's own topics ({@code fnmesh.*}) a dead
   *     letter may name; any other such origin, or one of Kafka's ({@code __*}), is not written to
   * @param filter which events to put back; a record that is no CloudEvent passes only {@link EventFilter#ACCEPT_ALL}
   * @param dryRun count what would be put back, write and commit nothing
   */
  Replay replay(String trigger, String topic, String target, EventFilter filter, boolean dryRun) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("fnmesh." + trigger + ".dlq-replay");
        KafkaClientMeters.Binding metered = meters.bind(consumer)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata done = committed.get(partition);
        consumer.seek(partition, done == null ? begins.get(partition) : Math.max(done.offset(), begins.get(partition)));
      }
      List<ProducerRecord<byte[], byte[]>> back = new ArrayList<>();
      int read = 0;
      int others = 0;
      for (ConsumerRecord<byte[], byte[]> record : readUntil(consumer, ends)) {
        read++;
        CloudEvent event = event(record);
        DeadLetterOrigin origin = DeadLetterOrigin.of(record, event);
        if (!origin.ofTrigger(trigger)) {
          others++;
          continue;
        }
        ProducerRecord<byte[], byte[]> replayed = replayed(record, event, origin.writableTopic(target), filter);
        if (replayed != null) {
          back.add(replayed);
        }
      }
      if (!dryRun && !back.isEmpty()) {
        send(back);
      }
      if (!dryRun) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        ends.forEach((partition, end) -> offsets.put(partition, new OffsetAndMetadata(end)));
        consumer.commitSync(offsets);
      }
      Map<String, Integer> topics = new java.util.TreeMap<>();
      back.forEach(record -> topics.merge(record.topic(), 1, Integer::sum));
      return new Replay(read, others, back.size(), dryRun ? 0 : back.size(), topics);
    }
  }

  /**
   * @param read dead letters read since the last redrive
   * @param others those of other triggers sharing the dead-letter topic, left alone
   * @param matched those of this trigger the filter let through
   * @param replayed those written back
   * @param topics where the matched ones go, with how many each
   */
  record Replay(int read, int others, int matched, int replayed, Map<String, Integer> topics) {}

  /** The dead letter as a CloudEvent; null for a record that is none. */
  private static CloudEvent event(ConsumerRecord<byte[], byte[]> record) {
    try {
      return CloudEventRecords.fromRecord(record);
    } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException notAnEvent) {
      return null;
    }
  }

  /** @param event the dead letter as a CloudEvent; null for a record that is none */
  private static ProducerRecord<byte[], byte[]> replayed(ConsumerRecord<byte[], byte[]> record, CloudEvent event,
      String target, EventFilter filter) {
    if (event == null) {
      if (filter != EventFilter.ACCEPT_ALL) {
        return null;
      }
      // A record that was no CloudEvent goes back as it came, without the headers that said why.
      ProducerRecord<byte[], byte[]> raw = new ProducerRecord<>(target, record.key(), record.value());
      for (Header header : record.headers()) {
        if (!header.key().startsWith(DeadLetterFields.HEADER_PREFIX)) {
          raw.headers().add(header);
        }
      }
      return raw;
    }
    CloudEventBuilder clean = CloudEventBuilder.from(event);
    DeadLetterFields.EXTENSIONS.forEach(clean::withoutExtension);
    CloudEvent original = clean.build();
    return filter.test(original) ? CloudEventRecords.toRecord(target, original, record.key()) : null;
  }

  private void send(List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig("fnmesh-dlq-replay-"
        + UUID.randomUUID())); KafkaClientMeters.Binding metered = meters.bind(producer)) {
      List<Future<?>> sent = new ArrayList<>();
      records.forEach(record -> sent.add(producer.send(record)));
      for (Future<?> acknowledged : sent) {
        acknowledged.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the dead letters were not all written back, none is marked replayed: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying", e);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group) {
    return new KafkaConsumer<>(kafka.consumerConfig(group, group, "earliest"));
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    return partitions;
  }

  /** Reads every record before the given end offsets. */
  private static List<ConsumerRecord<byte[], byte[]>> readUntil(KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> ends) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (ends.entrySet().stream().anyMatch(end -> consumer.position(end.getKey()) < end.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the dead letters could not be read within " + DEADLINE.toSeconds() + " s");
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
          records.add(record);
        }
      }
    }
    return records;
  }
}
