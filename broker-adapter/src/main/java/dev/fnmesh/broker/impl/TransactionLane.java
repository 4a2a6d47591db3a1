package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.PublishException;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One transactional producer and the one thread that drives it: a producer runs one transaction at a time,
 * and its blocking calls ({@code initTransactions}, {@code commitTransaction}) must never run on an event
 * loop. Batches that arrive while a transaction commits wait, and go together in the next one (a group
 * commit), which is what lets one producer keep up with many clients: each batch is still all or none.
 */
final class TransactionLane {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionLane.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** Records one transaction takes from the waiting batches; a larger batch goes alone. */
  private static final int RECORDS_PER_TRANSACTION = 2_000;

  private final Map<String, Object> config;
  private final KafkaClientMeters meters;
  private final ExecutorService thread;
  private final Queue<Batch> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  /** Touched on the lane's thread only; made on first use, dropped when it can no longer be trusted. */
  private Producer<byte[], byte[]> producer;
  // The binding of the producer's metrics: on the lane's thread only, like the producer.
  private AutoCloseable producerMeters;

  private record Batch(String topic, List<ProducerRecord<byte[], byte[]>> records, CompletableFuture<Void> written) {}

  /** @param config a transactional producer's configuration, its {@code transactional.id} unique to this lane */
  TransactionLane(Map<String, Object> config, String threadName, KafkaClientMeters meters) {
    this.config = Map.copyOf(config);
    this.meters = meters;
    this.thread = Executors.newSingleThreadExecutor(task -> {
      Thread named = new Thread(task, threadName);
      named.setDaemon(true);
      return named;
    });
  }

  /** Batches handed over and not finished yet, those being written included. */
  int waiting() {
    return waiting.get();
  }

  /**
   * @return a stage completed on the lane's thread once the batch's transaction committed, or failed with
   *     {@link PublishException} once it was aborted (or its outcome is left to Kafka, see {@link #commit})
   */
  CompletionStage<Void> write(String topic, List<ProducerRecord<byte[], byte[]>> records) {
    Batch batch = new Batch(topic, records, new CompletableFuture<>());
    waiting.incrementAndGet();
    queued.add(batch);
    try {
      thread.execute(this::writeQueued);
    } catch (RejectedExecutionException e) {
      queued.remove(batch);
      finish(batch, new KafkaException("the publisher is closed"));
    }
    return batch.written();
  }

  // One task per batch handed over; a task finds its batch already written by an earlier one when they grouped.
  private void writeQueued() {
    List<Batch> group = new ArrayList<>();
    int records = 0;
    for (Batch next = queued.peek(); next != null && (group.isEmpty()
        || records + next.records().size() <= RECORDS_PER_TRANSACTION); next = queued.peek()) {
      group.add(queued.poll());
      records += next.records().size();
    }
    if (group.isEmpty()) {
      return;
    }
    RuntimeException failure = commit(group);
    if (failure != null && group.size() > 1 && !(failure instanceof RetriableException)) {
      // A write refused for itself (too large, not allowed) dooms the whole transaction: the other batches
      // of the group deserve one of their own, each.
      group.forEach(batch -> finish(batch, commit(List.of(batch))));
      return;
    }
    group.forEach(batch -> finish(batch, failure));
  }

  private void finish(Batch batch, RuntimeException failure) {
    waiting.decrementAndGet();
    if (failure == null) {
      batch.written().complete(null);
    } else {
      batch.written().completeExceptionally(new PublishException(batch.topic(), failure));
    }
  }

  /**
   * Writes the batches in one transaction. A failed write aborts it, so read_committed consumers see none of
   * them. A producer that cannot abort (fenced, or a commit that timed out) is closed, and the next batch
   * makes a new one with the same transactional id: its initialisation completes or aborts what the old one
   * left open, so a batch is never visible in part, even when its client could not be told which.
   *
   * @return null when committed, else why not
   */
  private RuntimeException commit(List<Batch> group) {
    AtomicReference<Exception> firstFailure = new AtomicReference<>();
    Producer<byte[], byte[]> current = null;
    try {
      current = producer();
      current.beginTransaction();
      for (Batch batch : group) {
        for (ProducerRecord<byte[], byte[]> record : batch.records()) {
          current.send(record, (metadata, failure) -> {
            if (failure != null) {
              firstFailure.compareAndSet(null, failure);
            }
          });
        }
      }
      current.commitTransaction();
      return null;
    } catch (RuntimeException e) {
      if (current != null) {
        abortOrDrop(current, e);
      }
      // The write Kafka refused says more than the transaction it doomed.
      return firstFailure.get() instanceof KafkaException refused ? refused : e;
    }
  }

  private void abortOrDrop(Producer<byte[], byte[]> current, RuntimeException cause) {
    try {
      current.abortTransaction();
    } catch (RuntimeException e) {
      LOG.warn("transactional producer dropped transactionalId={} cause={} abortFailure={}",
          config.get("transactional.id"), cause.toString(), e.toString());
      producer = null;
      close(current, Duration.ZERO);
    }
  }

  private Producer<byte[], byte[]> producer() {
    if (producer == null) {
      Producer<byte[], byte[]> created = new KafkaProducer<>(config);
      producerMeters = meters.bind(created);
      try {
        created.initTransactions();
      } catch (RuntimeException e) {
        close(created, Duration.ZERO);
        throw e;
      }
      producer = created;
    }
    return producer;
  }

  /** Lets the batches handed over finish, then closes the producer, on the lane's thread; returns at once. */
  void shutdown() {
    try {
      thread.execute(() -> {
        if (producer != null) {
          close(producer, CLOSE_TIMEOUT);
          producer = null;
        }
      });
    } catch (RejectedExecutionException e) {
      // Shut down already.
    }
    thread.shutdown();
  }

  // The producer's series leave /metrics with it; a producer made later has them anew.
  private void close(Producer<byte[], byte[]> closing, Duration timeout) {
    try {
      closing.close(timeout);
    } finally {
      try {
        producerMeters.close();
      } catch (Exception e) {
        LOG.warn("producer metrics not removed transactionalId={} cause={}", config.get("transactional.id"), e.toString());
      }
    }
  }

  /** Waits until {@link #shutdown} is done; blocks, so never on an event loop. */
  void awaitShutdown() {
    try {
      if (!thread.awaitTermination(CLOSE_TIMEOUT.toSeconds() * 4, TimeUnit.SECONDS)) {
        LOG.warn("transactional producer not closed in time transactionalId={}", config.get("transactional.id"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
