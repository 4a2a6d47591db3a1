package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.PublishException;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The one idempotent producer of a process, shared by the ingress and every trigger's replies, and the
 * transactional producers batches are written with. Sends run on event loops, so the shared producer never
 * waits: its {@code max.block.ms} is 0, a full buffer fails a send at once, and topic metadata is fetched
 * ahead by {@link #prepare}, which waits up to the configured {@code max.block.ms} on timers instead.
 */
public final class KafkaEventPublisher implements EventPublisher {

  /** How often {@link #prepare} looks whether the metadata it asked for arrived. */
  private static final long METADATA_POLL_MS = 10;
  private static final int BATCH_LANES = Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final int BATCHES_WAITING_PER_LANE = 32;

  private final Vertx vertx;
  private final Producer<byte[], byte[]> producer;
  private final AutoCloseable producerMeters;
  private final long metadataWaitMs;
  private final TransactionLanes batches;
  private final Set<String> preparedTopics = ConcurrentHashMap.newKeySet();

  public KafkaEventPublisher(Vertx vertx, KafkaSettings settings, KafkaClientMeters meters) {
    this.vertx = vertx;
    String processId = UUID.randomUUID().toString();
    Map<String, Object> config = settings.producerConfig("fnmesh-publisher-" + processId);
    this.metadataWaitMs = Long.parseLong(String.valueOf(config.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(config);
    this.producerMeters = meters.bind(producer);
    this.batches = new TransactionLanes(settings, processId, BATCH_LANES, BATCHES_WAITING_PER_LANE, meters);
  }

  @Override
  public Future<Void> publish(String topic, List<CloudEvent> events) {
    Context context = vertx.getOrCreateContext();
    if (events.size() == 1 && preparedTopics.contains(topic)) {
      // The ingress's common case: the acknowledgement completes the caller's promise straight from the
      // producer's I/O thread, one hop onto the caller's context and nothing in between.
      Promise<Void> acknowledged = Promise.promise();
      ProducerRecord<byte[], byte[]> record;
      try {
        record = CloudEventRecords.toRecord(topic, events.get(0), null);
      } catch (RuntimeException e) {
        return Future.failedFuture(new PublishException(topic, e));
      }
      send(record, () -> context.runOnContext(v -> acknowledged.complete()),
          failure -> context.runOnContext(v -> acknowledged.fail(failure)));
      return acknowledged.future();
    }
    return prepare(topic).compose(ready -> {
      if (events.isEmpty()) {
        return Future.succeededFuture();
      }
      if (events.size() == 1) {
        return Future.fromCompletionStage(send(topic, events.get(0), null), context);
      }
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
      try {
        events.forEach(event -> records.add(CloudEventRecords.toRecord(topic, event, null)));
      } catch (RuntimeException e) {
        return Future.failedFuture(new PublishException(topic, e));
      }
      return Future.fromCompletionStage(batches.write(topic, records), context);
    });
  }

  @Override
  public CompletionStage<Void> send(String topic, CloudEvent event, byte[] fallbackKey) {
    try {
      return sendRecord(CloudEventRecords.toRecord(topic, event, fallbackKey));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new PublishException(topic, e));
    }
  }

  @Override
  public CompletionStage<Void> sendRecord(ProducerRecord<byte[], byte[]> record) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    send(record, () -> acknowledged.complete(null), acknowledged::completeExceptionally);
    return acknowledged;
  }

  /**
   * Sends the record; exactly one of the two is called, on the producer's I/O thread or, when the send is
   * refused at once, on the caller's, with a {@link PublishException}.
   */
  private void send(ProducerRecord<byte[], byte[]> record, Runnable acknowledged, Consumer<PublishException> failed) {
    String topic = record.topic();
    try {
      producer.send(record, (metadata, failure) -> {
        if (failure == null) {
          acknowledged.run();
          return;
        }
        // A timeout before a partition was chosen means the topic's metadata is gone (idle for a day, or the
        // topic was recreated): the next publish prepares it again instead of failing the same way.
        if (failure instanceof TimeoutException && !(failure instanceof BufferExhaustedException)
            && (metadata == null || metadata.partition() < 0)) {
          preparedTopics.remove(topic);
        }
        failed.accept(new PublishException(topic, failure));
      });
    } catch (RuntimeException e) {
      failed.accept(new PublishException(topic, e));
    }
  }

  @Override
  public Future<Void> prepare(String topic) {
    if (preparedTopics.contains(topic)) {
      return Future.succeededFuture();
    }
    Promise<Void> prepared = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> awaitMetadata(topic, System.nanoTime() + metadataWaitMs * 1_000_000, prepared));
    return prepared.future();
  }

  // With max.block.ms at 0, partitionsFor answers at once: the partitions when the metadata is there, else a
  // TimeoutException, after asking the producer's I/O thread to fetch it.
  private void awaitMetadata(String topic, long deadline, Promise<Void> prepared) {
    try {
      producer.partitionsFor(topic);
      preparedTopics.add(topic);
      prepared.complete();
    } catch (TimeoutException e) {
      if (System.nanoTime() - deadline > 0) {
        prepared.fail(new PublishException(topic, new TimeoutException("topic '" + topic
            + "' not present in the metadata of Kafka after " + metadataWaitMs + " ms")));
      } else {
        vertx.setTimer(METADATA_POLL_MS, id -> awaitMetadata(topic, deadline, prepared));
      }
    } catch (RuntimeException e) {
      prepared.fail(new PublishException(topic, e));
    }
  }

  @Override
  public Future<Void> close() {
    // Unordered: a close chained after another blocking call on the same context must not queue behind it.
    return vertx.executeBlocking(() -> {
      batches.close();
      producer.close(Duration.ofSeconds(10));
      producerMeters.close();
      return null;
    }, false);
  }
}
