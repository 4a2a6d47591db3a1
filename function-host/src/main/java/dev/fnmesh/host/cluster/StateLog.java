package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.signing.SignedTopicReader;
import dev.fnmesh.broker.signing.StateSignatures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The mesh's state topic: written through the shared publisher, read from its start by a consumer on a
 * thread of its own (Kafka's consumer blocks), which hands what it read to one Vert.x context in order.
 * {@link #start()} completes once everything that was on the topic when it started was handed over, so a
 * process acts on the current state, never on a partial one. What it writes is signed with the cluster key,
 * and a record read that does not verify is not handed over: whoever can write the topic without the key
 * cannot change what the mesh runs.
 */
public final class StateLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateLog.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Context context;
  private final String topic;
  private final StateSignatures signatures;
  private final EventPublisher publisher;
  private final Consumer<List<Update>> handler;
  private final Promise<Void> caughtUp = Promise.promise();
  private final SignedTopicReader reader;

  /**
   * @param meters binds the reading consumer and the admin client to the process's metrics while they are open
   * @param handler gets what was read, in order, on the context of the caller of this constructor
   */
  public StateLog(Vertx vertx, KafkaSettings kafka, ClusterSettings settings, StateSignatures signatures, String clientId,
      EventPublisher publisher, KafkaClientMeters meters, Consumer<List<Update>> handler) {
    this.context = vertx.getOrCreateContext();
    this.topic = settings.stateTopic();
    this.signatures = signatures;
    this.publisher = publisher;
    this.handler = handler;
    this.reader = new SignedTopicReader(kafka, meters, signatures, topic, TopicPolicy.STATE_TOPIC, clientId,
        "fnmesh-state-" + clientId, POLL, SignedTopicReader.StartAt.beginning(), new Reading());
  }

  /**
   * An entry as read.
   *
   * @param entry what the record holds
   * @param timestamp the record's timestamp
   * @param live whether it was written after this log started reading; false for the state found at start
   */
  public record Update(StateEntry entry, Instant timestamp, boolean live) {}

  /**
   * Creates the topic unless it exists and starts reading it.
   *
   * @return a future that completes once the state found on the topic was handed over and the topic is
   *     ready for writes
   */
  public Future<Void> start() {
    reader.start();
    // The topic's metadata is fetched on a worker, so that no write blocks an event loop for it.
    return caughtUp.future().compose(v -> publisher.prepare(topic));
  }

  /** Writes the entry; the future completes once Kafka acknowledged it. */
  public Future<Void> write(StateEntry entry) {
    return Future.fromCompletionStage(publisher.sendRecord(signatures.sign(StateRecords.toRecord(topic, entry))), context);
  }

  public String topic() {
    return topic;
  }

  /** Stops reading. Blocks until the reading thread ended, at most 10 s: call it off any event loop. */
  @Override
  public void close() {
    reader.close();
  }

  /** Hands what was read to the context; on the reader's thread. */
  private final class Reading implements SignedTopicReader.Reading {
    private boolean caught;

    @Override
    public void read(List<ConsumerRecord<byte[], byte[]>> verified, long position, long endAtStart) {
      List<Update> updates = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : verified) {
        // Whether a record is live depends on the record, not on the batch it came in.
        decode(record, record.offset() >= endAtStart).ifPresent(updates::add);
      }
      if (!updates.isEmpty()) {
        context.runOnContext(v -> handler.accept(updates));
      }
      if (!caught && position >= endAtStart) {
        caught = true;
        context.runOnContext(v -> caughtUp.tryComplete());
      }
    }

    @Override
    public boolean failed(RuntimeException failure, boolean topicReady) {
      if (!topicReady) {
        context.runOnContext(v -> caughtUp.tryFail(failure));
        return false;
      }
      LOG.error("state topic read failed, reading on topic={} cause={}", topic, failure.toString());
      return true;
    }
  }

  private Optional<Update> decode(ConsumerRecord<byte[], byte[]> record, boolean live) {
    try {
      return StateRecords.fromRecord(record.key(), record.value())
          .map(entry -> new Update(entry, Instant.ofEpochMilli(record.timestamp()), live));
    } catch (IllegalArgumentException e) {
      LOG.warn("state record skipped topic={} offset={} cause={}", topic, record.offset(), e.getMessage());
      return Optional.empty();
    }
  }
}
