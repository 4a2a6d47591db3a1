package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.PublishException;
import dev.fnmesh.broker.impl.CloudEventRecords;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Exactly-once delivery for one replica's consumer: the replies and dead letters of its events are staged
 * here instead of sent (all the replies of one event together), and the consumer's thread writes them, with the offsets they finish, in one Kafka
 * transaction per commit. The offsets go with the consumer's group metadata (KIP-447), so a replica that lost
 * its partitions to another is fenced instead of committing. A transaction covers whatever was staged since
 * the last one (up to {@link #COMMIT_AT} outcomes, at least every {@link #COMMIT_INTERVAL}), not one event.
 *
 * <p>Staging runs on the trigger's context; the producer lives on the consumer's thread, where its blocking
 * calls belong. A transaction that fails is aborted and {@link #commit} throws: the consumer then dies and
 * its replacement reads again from the last committed offsets, whose outcomes are exactly those committed.
 */
final class TransactionalOutcomes implements EventPublisher {

  /** The longest an outcome waits to be committed, unless {@link #COMMIT_AT} come first. */
  static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
  /** Outcomes staged that start a transaction before {@link #COMMIT_INTERVAL} passed. */
  static final int COMMIT_AT = 2_000;
  /**
   * How long Kafka keeps a transaction of a killed process open before aborting it: meanwhile read_committed
   * readers of its reply topic's partitions wait (plus the broker's check interval, 10 s by default).
   */
  static final int TRANSACTION_TIMEOUT_MS = 10_000;

  /** An outcome's records (its replies, or its dead letter) and the event it ends. */
  private record Staged(TopicPartition partition, long offset, List<ProducerRecord<byte[], byte[]>> records,
      CompletableFuture<Void> committed) {}

  /**
   * The event whose outcome is being staged, and the records staged for it so far; {@code refused} once one
   * could not be made, and then none is.
   */
  private static final class Origin {
    final TopicPartition partition;
    final long offset;
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(1);
    final CompletableFuture<Void> committed = new CompletableFuture<>();
    Throwable refused;

    Origin(TopicPartition partition, long offset) {
      this.partition = partition;
      this.offset = offset;
    }
  }

  private final EventPublisher publisher;
  private final OffsetTracker tracker;
  private final Map<String, Object> producerConfig;
  private final Queue<Staged> staged = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  // On the trigger's context only: set by stage() for the one synchronous call that makes the outcome's record.
  private Origin origin;
  // On the consumer's thread only.
  private Producer<byte[], byte[]> producer;
  // System.nanoTime() has an arbitrary origin: a first commit is due from the start, whatever its sign.
  private long nextCommit = System.nanoTime();

  /**
   * @param publisher what topics are prepared on; nothing is sent through it
   * @param transactionalId unique to this replica across every process of the mesh: a producer made again
   *     with it (after its consumer died) aborts what the previous one left open at once
   */
  TransactionalOutcomes(EventPublisher publisher, OffsetTracker tracker, KafkaSettings kafka, String transactionalId) {
    this.publisher = publisher;
    this.tracker = tracker;
    Map<String, Object> config = kafka.producerConfig(transactionalId);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    // Waiting on metadata here blocks the consumer's thread, not an event loop.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producerConfig = config;
  }

  /**
   * Stages the outcome of the event at {@code offset}: {@code write} makes its records through {@link #send}
   * or {@link #sendRecord}, all of them in this call, and they go into one transaction together. On the
   * trigger's context.
   *
   * @return a stage completed once the transaction holding the outcome and the event's offset committed; left
   *     incomplete when it aborted, since the consumer then dies and the event is read again; failed at once,
   *     staging nothing, when one of its records could not be made
   */
  CompletionStage<Void> stage(TopicPartition partition, long offset, Supplier<CompletionStage<Void>> write) {
    Origin of = new Origin(partition, offset);
    origin = of;
    CompletionStage<Void> written;
    try {
      written = write.get();
    } finally {
      origin = null;
    }
    if (of.refused != null) {
      return CompletableFuture.failedFuture(of.refused);
    }
    if (!of.records.isEmpty()) {
      staged.add(new Staged(partition, offset, List.copyOf(of.records), of.committed));
      waiting.incrementAndGet();
    }
    return written;
  }

  @Override
  public CompletionStage<Void> send(String topic, CloudEvent event, byte[] fallbackKey) {
    ProducerRecord<byte[], byte[]> record;
    try {
      record = CloudEventRecords.toRecord(topic, event, fallbackKey);
    } catch (RuntimeException e) {
      PublishException refused = new PublishException(topic, e);
      if (origin != null) {
        origin.refused = refused;
      }
      return CompletableFuture.failedFuture(refused);
    }
    return sendRecord(record);
  }

  @Override
  public CompletionStage<Void> sendRecord(ProducerRecord<byte[], byte[]> record) {
    Origin of = origin;
    if (of == null) {
      return CompletableFuture.failedFuture(new PublishException(record.topic(),
          new IllegalStateException("an exactly-once trigger writes only the outcomes of its events")));
    }
    of.records.add(record);
    return of.committed;
  }

  @Override
  public Future<Void> publish(String topic, List<CloudEvent> events) {
    return Future.failedFuture(new UnsupportedOperationException("an exactly-once trigger publishes no events"));
  }

  @Override
  public Future<Void> prepare(String topic) {
    return publisher.prepare(topic);
  }

  /** Closes nothing: the producer is the consumer thread's, closed by {@link #closeProducer}. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Makes the transactional producer; on the consumer's thread, before its first poll. */
  void openProducer() {
    Producer<byte[], byte[]> created = new KafkaProducer<>(producerConfig);
    try {
      created.initTransactions();
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
    producer = created;
  }

  /** On the consumer's thread; never throws. */
  void closeProducer(Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        // Closing is all that is left to do with it.
      }
      producer = null;
    }
  }

  /** Whether a transaction is due: outcomes waited long enough or enough of them wait. */
  boolean due() {
    return waiting.get() >= COMMIT_AT || System.nanoTime() - nextCommit >= 0;
  }

  /**
   * Writes what was staged and every offset it and the events without an outcome (filtered, no reply
   * topic) finished, in one transaction. On the consumer's thread.
   *
   * @param positions the consumer's next offset per partition (see {@link OffsetTracker#committable})
   * @throws KafkaException when the transaction did not commit; it was aborted, or its producer closed
   */
  void commit(Consumer<?, ?> consumer, ToLongFunction<TopicPartition> positions) {
    nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
    List<Staged> batch = new ArrayList<>();
    for (Staged next = staged.poll(); next != null; next = staged.poll()) {
      waiting.decrementAndGet();
      // An outcome of a partition revoked since its event was fetched is its new owner's to write.
      if (tracker.owns(next.partition())) {
        batch.add(next);
      }
    }
    // The staged events count as finished before the prefix is taken: their outcomes commit with it or not at all.
    batch.forEach(outcome -> tracker.finish(outcome.partition(), outcome.offset()));
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(positions);
    if (batch.isEmpty() && offsets.isEmpty()) {
      return;
    }
    KafkaException refused = null;
    try {
      producer.beginTransaction();
      for (Staged outcome : batch) {
        // A send Kafka refuses fails the commit below, which names it.
        outcome.records().forEach(producer::send);
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (KafkaException e) {
      refused = e;
    }
    if (refused != null) {
      abort();
      throw new KafkaException("the transaction of " + batch.size() + " outcomes and offsets " + offsets
          + " did not commit: " + refused, refused);
    }
    batch.forEach(outcome -> outcome.committed().complete(null));
  }

  private void abort() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      // Fenced, or a commit whose outcome is Kafka's: the next producer with this id settles it at its start.
      closeProducer(Duration.ZERO);
    }
  }
}
