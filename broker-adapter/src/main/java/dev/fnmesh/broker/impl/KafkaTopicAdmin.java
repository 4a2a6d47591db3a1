package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/** Creates topics through a Kafka {@link Admin}; its calls are asynchronous and never block a thread. */
public final class KafkaTopicAdmin implements TopicAdmin {

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
          knownTopics.add(topic);
          return (Void) null;
        });
    return Future.fromCompletionStage(created, vertx.getOrCreateContext());
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      admin.close(Duration.ofSeconds(5));
      return null;
    }, false);
  }
}
