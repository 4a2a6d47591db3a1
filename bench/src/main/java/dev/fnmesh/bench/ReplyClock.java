package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads reply topics from their start on a thread of its own and notes when each reply to a {@link PacedProducer}'s
 * event became readable: the {@link System#nanoTime()} right after the poll that returned it. Assigned the
 * partitions directly (no group, nothing to rebalance) and fetching as soon as a byte is there, so it adds the
 * same small delay to every pipeline it measures.
 */
final class ReplyClock implements AutoCloseable {

  private final Consumer<byte[], byte[]> consumer;
  private final PacedProducer events;
  private final long[] repliedNanos;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean running = true;
  private final Set<String> answeredTopics = ConcurrentHashMap.newKeySet();
  private volatile int replied;
  // The events replied to more than once (a rebalance redelivers what was not committed).
  private final boolean[] duplicated;

  ReplyClock(KafkaSettings kafka, List<String> topics, int partitions, PacedProducer events) {
    Map<String, Object> config = kafka.consumerConfig("bench-reply-clock-" + topics.get(0), "bench-reply-clock",
        "earliest");
    // Plain reads: nothing here is transactional, and no group, so nothing is committed.
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
    this.consumer = new KafkaConsumer<>(config);
    List<TopicPartition> assigned = new ArrayList<>();
    for (String topic : topics) {
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(topic, p));
      }
    }
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    this.events = events;
    this.repliedNanos = new long[events.count()];
    this.duplicated = new boolean[events.count()];
    this.thread = new Thread(this::run, "bench-reply-clock");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether any reply arrived on the topic, a probe's included: the pipeline writing there answers. */
  boolean answered(String topic) {
    return answeredTopics.contains(topic);
  }

  /** Replies to distinct events of the producer seen so far. */
  int replied() {
    return replied;
  }

  /** Whether event {@code n} was replied to more than once; read after {@link #close}. */
  boolean duplicated(int n) {
    return duplicated[n];
  }

  /** When the reply to event {@code n} was first read, or 0 when it was not; read after {@link #close}. */
  long repliedNanos(int n) {
    return repliedNanos[n];
  }

  void checkFailure() {
    if (failure.get() != null) {
      throw new IllegalStateException("reading replies failed: " + failure.get().getMessage(), failure.get());
    }
  }

  private void run() {
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          note(record, now);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure.set(e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void note(ConsumerRecord<byte[], byte[]> record, long now) {
    answeredTopics.add(record.topic());
    Header id = record.headers().lastHeader("ce_id");
    int n = id == null ? -1 : events.sequence(new String(id.value(), StandardCharsets.UTF_8));
    if (n < 0) {
      return;
    }
    if (repliedNanos[n] != 0) {
      duplicated[n] = true;
      return;
    }
    repliedNanos[n] = now;
    replied++;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
  }
}
