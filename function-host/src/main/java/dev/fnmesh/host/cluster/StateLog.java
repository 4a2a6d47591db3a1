package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.ConsumerThread;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.impl.TopicCreator;
import dev.fnmesh.broker.signing.StateSignatures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
  private static final Duration RESTART = Duration.ofSeconds(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final Context context;
  private final KafkaSettings kafka;
  private final String topic;
  private final StateSignatures signatures;
  private final String clientId;
  private final EventPublisher publisher;
  private final KafkaClientMeters meters;
  private final Consumer<List<Update>> handler;
  private final Promise<Void> caughtUp = Promise.promise();
  private final ConsumerThread reader;

  /**
   * @param meters binds the reading consumer and the admin client to the process's metrics while they are open
   * @param handler gets what was read, in order, on the context of the caller of this constructor
   */
  public StateLog(Vertx vertx, KafkaSettings kafka, ClusterSettings settings, StateSignatures signatures, String clientId,
      EventPublisher publisher, KafkaClientMeters meters, Consumer<List<Update>> handler) {
    this.context = vertx.getOrCreateContext();
    this.kafka = kafka;
    this.topic = settings.stateTopic();
    this.signatures = signatures;
    this.clientId = clientId;
    this.publisher = publisher;
    this.meters = meters;
    this.handler = handler;
    this.reader = new ConsumerThread("fnmesh-state-" + clientId, RESTART, CLOSE_WAIT, new Reader());
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

  /**
   * Reads the topic from its start, on the reader thread. After a failure it reads on from the record after
   * the last one read, with a new consumer: a process that stopped reading its state would act on a stale one.
   */
  private final class Reader implements ConsumerThread.Work {
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private boolean topicReady;
    private KafkaConsumer<byte[], byte[]> reading;
    private KafkaClientMeters.Binding readingMeters;
    private long next = -1;
    private long end = -1;
    private boolean caught;

    @Override
    public KafkaConsumer<byte[], byte[]> open() {
      if (!topicReady) {
        ensureTopic();
        topicReady = true;
      }
      Map<String, Object> config = kafka.consumerConfig(clientId, "unused", "earliest");
      // Every process reads the whole topic itself: no group, no committed offsets.
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
      config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
      config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
      reading = new KafkaConsumer<>(config);
      readingMeters = meters.bind(reading);
      reading.assign(List.of(partition));
      if (next < 0) {
        reading.seekToBeginning(List.of(partition));
      } else {
        reading.seek(partition, next);
      }
      return reading;
    }

    @Override
    public void step() {
      if (end < 0) {
        end = reading.endOffsets(List.of(partition)).get(partition);
      }
      List<Update> updates = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : reading.poll(POLL)) {
        // Whether a record is live depends on the record, not on the batch it came in.
        decode(record, record.offset() >= end).ifPresent(updates::add);
        next = record.offset() + 1;
      }
      if (!updates.isEmpty()) {
        context.runOnContext(v -> handler.accept(updates));
      }
      if (!caught && reading.position(partition) >= end) {
        caught = true;
        context.runOnContext(v -> caughtUp.tryComplete());
      }
    }

    @Override
    public boolean failed(RuntimeException failure) {
      closeReading();
      if (!topicReady) {
        context.runOnContext(v -> caughtUp.tryFail(failure));
        return false;
      }
      LOG.error("state topic read failed, reading on in {} ms topic={} cause={}", RESTART.toMillis(), topic,
          failure.toString());
      return true;
    }

    @Override
    public void close() {
      closeReading();
    }

    private void closeReading() {
      KafkaConsumer<byte[], byte[]> closing = reading;
      reading = null;
      if (closing != null) {
        closing.close();
        readingMeters.close();
        readingMeters = null;
      }
    }
  }

  private Optional<Update> decode(ConsumerRecord<byte[], byte[]> record, boolean live) {
    if (!signatures.verify(record)) {
      return Optional.empty();
    }
    try {
      return StateRecords.fromRecord(record.key(), record.value())
          .map(entry -> new Update(entry, Instant.ofEpochMilli(record.timestamp()), live));
    } catch (IllegalArgumentException e) {
      LOG.warn("state record skipped topic={} offset={} cause={}", topic, record.offset(), e.getMessage());
      return Optional.empty();
    }
  }

  private void ensureTopic() {
    try (Admin admin = Admin.create(kafka.adminConfig(clientId + "-admin"));
        KafkaClientMeters.Binding adminMeters = meters.bind(admin)) {
      new TopicCreator(admin, kafka.topics()).ensure(topic, TopicPolicy.STATE_TOPIC).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the state topic could not be made ready: " + e.getCause().getMessage(),
          e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the state topic '" + topic + "' was not created within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the state topic", e);
    }
  }
}
