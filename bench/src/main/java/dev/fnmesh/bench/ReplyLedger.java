package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every record of a topic from its beginning, read {@code read_committed} as a trigger reads, counted by
 * CloudEvent id (the {@code ce_id} header) on a thread of its own; also the longest time no record arrived
 * while it ran.
 */
final class ReplyLedger implements AutoCloseable {

  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long records;
  private volatile long lastArrivalNanos;
  private volatile long longestPauseNanos;

  /** @param headerNames the headers to count by, the first one present; records with none count under "" */
  ReplyLedger(KafkaSettings kafka, String topic, String... headerNames) {
    // Assigned, never subscribed: the group is not joined and nothing is committed.
    consumer = new KafkaConsumer<>(kafka.consumerConfig("faultbench-ledger-" + topic, "faultbench-ledger", "earliest"));
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(() -> read(headerNames), "fault-ledger-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void read(String[] headerNames) {
    while (running) {
      ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(50));
      if (batch.isEmpty()) {
        continue;
      }
      long now = System.nanoTime();
      if (lastArrivalNanos != 0) {
        longestPauseNanos = Math.max(longestPauseNanos, now - lastArrivalNanos);
      }
      lastArrivalNanos = now;
      for (ConsumerRecord<byte[], byte[]> record : batch) {
        counts.merge(key(record, headerNames), 1, Integer::sum);
      }
      records += batch.count();
    }
    consumer.close();
  }

  private static String key(ConsumerRecord<byte[], byte[]> record, String[] headerNames) {
    for (String name : headerNames) {
      Header header = record.headers().lastHeader(name);
      if (header != null) {
        return new String(header.value(), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  /** Waits until every one of {@code ids} arrived at least once, or the time is over; true when they all did. */
  boolean awaitAll(Set<String> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (missing(ids) == 0) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return missing(ids) == 0;
  }

  /** Waits until at least {@code count} records arrived, or the time is over. */
  boolean awaitRecords(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (records < count && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return records >= count;
  }

  long missing(Set<String> ids) {
    return ids.stream().filter(id -> !counts.containsKey(id)).count();
  }

  /** Records beyond the first of each of {@code ids}. */
  long duplicated(Set<String> ids) {
    return ids.stream().mapToLong(id -> Math.max(0, counts.getOrDefault(id, 0) - 1)).sum();
  }

  /** Ids that arrived although not among {@code ids} (e.g. written although the client saw no 202). */
  long others(Set<String> ids) {
    return counts.keySet().stream().filter(id -> !ids.contains(id)).count();
  }

  long records() {
    return records;
  }

  /** Counts by header value, e.g. by {@code fnmesh_errorcode} for a dead-letter topic. */
  Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  long longestPauseNanos() {
    return longestPauseNanos;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
