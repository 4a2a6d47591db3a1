package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes binary-mode CloudEvents at a steady rate from a thread of its own, as a service producing to a
 * trigger's topic does, and notes when each was handed to the producer ({@link System#nanoTime()}, by
 * sequence number). Event {@code n} has the id {@code prefix-n} and that id as its key. With several topics it
 * writes {@code slotEvents} events to each in turn. Behind schedule (the thread was descheduled) it sends what
 * is due at once, so the rate holds over the run.
 */
final class PacedProducer {

  private final KafkaSettings kafka;
  private final BenchEvents events;
  private final List<String> topics;
  private final int slotEvents;
  private final String prefix;
  private final int rate;
  private final long[] sentNanos;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private Thread thread;
  private volatile int sent;

  /**
   * @param topics where the events go, {@code slotEvents} to each in turn
   * @param count how many events to send in all, at {@code rate} per second
   */
  PacedProducer(KafkaSettings kafka, BenchEvents events, List<String> topics, int slotEvents, String prefix, int rate,
      int count) {
    this.kafka = kafka;
    this.events = events;
    this.topics = List.copyOf(topics);
    this.slotEvents = slotEvents;
    this.prefix = prefix;
    this.rate = rate;
    this.sentNanos = new long[count];
  }

  /** Starts sending; the first event goes at once. */
  void start() {
    thread = new Thread(this::run, "bench-paced-producer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every event was sent and acknowledged; throws when one was not. */
  void await() throws InterruptedException {
    thread.join();
    if (failure.get() != null) {
      throw new IllegalStateException("producing to topics=" + topics + " failed: " + failure.get().getMessage(),
          failure.get());
    }
  }

  /** When event {@code n} was handed to the producer, or 0 when it was not (yet). */
  long sentNanos(int n) {
    return n < sent ? sentNanos[n] : 0;
  }

  int count() {
    return sentNanos.length;
  }

  /** The index in the topics of the one event {@code n} went to. */
  int topicOf(int n) {
    return (n / slotEvents) % topics.size();
  }

  /** The sequence number of an id this producer made, or -1 for any other. */
  int sequence(String id) {
    if (id == null || !id.startsWith(prefix) || id.length() <= prefix.length() + 1) {
      return -1;
    }
    try {
      int n = Integer.parseInt(id, prefix.length() + 1, id.length(), 10);
      return n < sentNanos.length ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void run() {
    long intervalNanos = 1_000_000_000L / rate;
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig("bench-paced-" + prefix))) {
      long start = System.nanoTime();
      int n = 0;
      while (n < sentNanos.length && failure.get() == null) {
        long due = start + n * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        String id = prefix + "-" + n;
        ProducerRecord<byte[], byte[]> record =
            CloudEventRecords.toRecord(topics.get(topicOf(n)), events.event(id), id.getBytes(StandardCharsets.UTF_8));
        sentNanos[n] = System.nanoTime();
        producer.send(record, (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
        // Published after the slot is written: a reader seeing sent > n sees sentNanos[n].
        sent = ++n;
      }
      producer.flush();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }
}
