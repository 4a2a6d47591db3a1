package dev.fnmesh.bench;

import dev.fnmesh.broker.impl.CloudEventRecords;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of an ingress that answers each request only after its acknowledgement: a bare Kafka producer
 * kept at {@code inFlight} outstanding "requests", each one event (or {@code eventsPerRequest} events, done when
 * the last is acknowledged), sent by one thread as soon as a slot frees up. Events are encoded with fnmesh's
 * own codec, so the producer does the same Kafka work as the ingress and nothing else: no HTTP, no decoding.
 */
final class ProducerLoad {

  private final Map<String, Object> producerConfig;
  private final String topic;
  private final int inFlight;
  private final int eventsPerRequest;
  private final BenchEvents events;
  private final CountDownLatch closed = new CountDownLatch(1);

  ProducerLoad(Map<String, Object> producerConfig, String topic, int inFlight, int eventsPerRequest, BenchEvents events) {
    this.producerConfig = producerConfig;
    this.topic = topic;
    this.inFlight = inFlight;
    this.eventsPerRequest = eventsPerRequest;
    this.events = events;
  }

  /**
   * Runs the warm-up, then the measurement, on a thread of its own ({@code bench-producer-sender}, which CPU
   * tables show as such); completes once every request it sent was answered. A request counts when it
   * completes inside the window. The producer and the thread stay until {@link #close()}, so that their CPU
   * time can still be read.
   */
  CompletableFuture<LoadGenerator.LoadResult> start(Duration warmup, Duration duration) {
    CompletableFuture<LoadGenerator.LoadResult> result = new CompletableFuture<>();
    Thread sender = new Thread(() -> {
      try {
        run(warmup, duration, result);
      } catch (InterruptedException e) {
        result.completeExceptionally(e);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }, "bench-producer-sender");
    sender.setDaemon(true);
    sender.start();
    return result;
  }

  /** Closes the producer once the run is over; returns at once. */
  void close() {
    closed.countDown();
  }

  private void run(Duration warmup, Duration duration, CompletableFuture<LoadGenerator.LoadResult> result)
      throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong failures = new AtomicLong();
    LatencyLog latencies = new LatencyLog();
    long from = System.nanoTime() + warmup.toNanos();
    long until = from + duration.toNanos();
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
      long sequence = 0;
      while (System.nanoTime() < until) {
        slots.acquire();
        long start = System.nanoTime();
        AtomicInteger unacknowledged = new AtomicInteger(eventsPerRequest);
        Callback callback = (metadata, failure) -> {
          // Callbacks run on the producer's one I/O thread, so the log needs no lock.
          if (failure != null) {
            failures.incrementAndGet();
          }
          if (unacknowledged.decrementAndGet() == 0) {
            long end = System.nanoTime();
            if (end >= from && end < until) {
              latencies.add(end - start);
            }
            slots.release();
          }
        };
        for (int i = 0; i < eventsPerRequest; i++) {
          ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord(topic, events.event("p-" + sequence++), null);
          producer.send(record, callback);
        }
      }
      // Every request answered: the I/O thread's writes to the log happen-before this.
      if (!slots.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the producer did not answer every send within 60 s");
      }
      long[] sorted = latencies.sorted();
      // Only the ingress's acknowledged events are checked against its topic; the producer's are not counted.
      result.complete(new LoadGenerator.LoadResult(sorted.length, (long) sorted.length * eventsPerRequest, 0,
          (int) Math.min(Integer.MAX_VALUE, failures.get()), failures.get() == 0 ? null : failures.get() + " failed sends",
          until - from, sorted));
      closed.await();
    }
  }

  /** Latencies appended by one thread at a time. */
  private static final class LatencyLog {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }

  }
}
