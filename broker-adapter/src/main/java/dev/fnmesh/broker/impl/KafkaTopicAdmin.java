package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/** Creates topics through a Kafka {@link Admin}; its calls are asynchronous and never block a thread. */
public final class KafkaTopicAdmin implements TopicAdmin {

  private static final Duration LEADER_WAIT = Duration.ofSeconds(10);
  private final Vertx vertx;
  private final Admin admin;
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();

  public KafkaTopicAdmin(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    this.admin = Admin.create(settings.adminConfig("fnmesh-admin-" + UUID.randomUUID()));
  }

  @Override
  public Future<Void> ensureTopic(String topic, int partitions) {
    if (knownTopics.contains(topic)) {
      return Future.succeededFuture();
    }
    // The cluster's default replication factor: 1 on the embedded broker, whatever the operator set elsewhere.
    NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty());
    var created = admin.createTopics(List.of(newTopic)).all().toCompletionStage()
        .handle((ok, failure) -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause != null && !(cause instanceof TopicExistsException)) {
            throw new IllegalStateException("could not create Kafka topic '" + topic + "': " + cause.getMessage(), cause);
          }
          return cause != null;
        });
    long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
    return Future.fromCompletionStage(created, vertx.getOrCreateContext())
        // A topic that existed keeps the partitions it has, which may be fewer than asked for.
        .compose(existed -> existed ? partitionCount(topic, deadline) : Future.succeededFuture(partitions))
        .compose(count -> awaitServed(topic, count, deadline))
        .onSuccess(v -> knownTopics.add(topic));
  }

  // Another client may have created the topic a moment ago: its metadata can take a moment to be known.
  private Future<Integer> partitionCount(String topic, long deadline) {
    var described = admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage()
        .handle((topics, failure) -> failure == null ? topics.get(topic).partitions().size() : -1);
    return Future.fromCompletionStage(described, vertx.getOrCreateContext()).compose(count -> {
      if (count > 0) {
        return Future.succeededFuture(count);
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new IllegalStateException("Kafka topic '" + topic + "' exists but is not described after "
            + LEADER_WAIT.toSeconds() + " s"));
      }
      Promise<Integer> retried = Promise.promise();
      vertx.setTimer(20, id -> partitionCount(topic, deadline).onComplete(retried));
      return retried.future();
    });
  }

  // A new topic's partitions are served by their leaders a moment after the topic is created; an
  // idempotent producer writing in that moment can retry OUT_OF_ORDER_SEQUENCE until its delivery timeout.
  // ListOffsets is answered by a partition's leader only once it serves the partition, so wait for it.
  private Future<Void> awaitServed(String topic, int partitions, long deadline) {
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    for (int partition = 0; partition < partitions; partition++) {
      all.put(new TopicPartition(topic, partition), OffsetSpec.latest());
    }
    var served = admin.listOffsets(all).all().toCompletionStage().handle((offsets, failure) -> failure == null);
    return Future.fromCompletionStage(served, vertx.getOrCreateContext()).compose(ready -> {
      if (ready) {
        return Future.succeededFuture();
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new IllegalStateException("Kafka topic '" + topic + "' is not served after "
            + LEADER_WAIT.toSeconds() + " s"));
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(20, id -> awaitServed(topic, partitions, deadline).onComplete(retried));
      return retried.future();
    });
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      admin.close(Duration.ofSeconds(5));
      return null;
    }, false);
  }
}
