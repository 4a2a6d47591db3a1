package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.PublishException;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The one Kafka producer of a process, shared by the ingress and every trigger's replies. */
public final class KafkaEventPublisher implements EventPublisher {

  private final Vertx vertx;
  private final Producer<byte[], byte[]> producer;
  private final Set<String> preparedTopics = ConcurrentHashMap.newKeySet();

  public KafkaEventPublisher(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    this.producer = new KafkaProducer<>(settings.producerConfig("fnmesh-publisher-" + UUID.randomUUID()));
  }

  @Override
  public Future<Void> publish(String topic, List<CloudEvent> events) {
    Context context = vertx.getOrCreateContext();
    return prepare(topic).compose(ready -> {
      if (events.isEmpty()) {
        return Future.succeededFuture();
      }
      Promise<Void> promise = Promise.promise();
      AtomicInteger pending = new AtomicInteger(events.size());
      for (CloudEvent event : events) {
        send(topic, event, null).whenComplete((ok, failure) -> {
          if (failure != null) {
            context.runOnContext(v -> promise.tryFail(failure));
          } else if (pending.decrementAndGet() == 0) {
            context.runOnContext(v -> promise.tryComplete());
          }
        });
      }
      return promise.future();
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
    String topic = record.topic();
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    try {
      producer.send(record, (metadata, failure) -> {
        if (failure == null) {
          acknowledged.complete(null);
        } else {
          acknowledged.completeExceptionally(new PublishException(topic, failure));
        }
      });
    } catch (RuntimeException e) {
      acknowledged.completeExceptionally(new PublishException(topic, e));
    }
    return acknowledged;
  }

  @Override
  public Future<Void> prepare(String topic) {
    if (preparedTopics.contains(topic)) {
      return Future.succeededFuture();
    }
    // partitionsFor blocks until the metadata arrives, so it runs on a worker, once per topic.
    return vertx.executeBlocking(() -> {
      try {
        producer.partitionsFor(topic);
      } catch (RuntimeException e) {
        throw new PublishException(topic, e);
      }
      preparedTopics.add(topic);
      return null;
    }, false);
  }

  @Override
  public Future<Void> close() {
    // Unordered: a close chained after another blocking call on the same context must not queue behind it.
    return vertx.executeBlocking(() -> {
      producer.close(Duration.ofSeconds(10));
      return null;
    }, false);
  }
}
