package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicReport;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Creates topics through a Kafka {@link Admin} and a {@link TopicCreator}; never blocks a thread. */
public final class KafkaTopicAdmin implements TopicAdmin {

  private final Vertx vertx;
  private final Admin admin;
  private final KafkaClientMeters.Binding adminMeters;
  private final TopicCreator creator;
  // A topic is made sure of once, however many triggers and requests ask at the same time; a failure is
  // forgotten, so that the next call tries again.
  private final Map<String, CompletableFuture<TopicReport>> ensured = new ConcurrentHashMap<>();

  public KafkaTopicAdmin(Vertx vertx, KafkaSettings settings, KafkaClientMeters meters) {
    this.vertx = vertx;
    this.admin = Admin.create(settings.adminConfig("fnmesh-admin-" + UUID.randomUUID()));
    this.adminMeters = meters.bind(admin);
    this.creator = new TopicCreator(admin, settings.topics());
  }

  @Override
  public Future<TopicReport> ensureTopic(String topic, TopicSettings settings) {
    CompletableFuture<TopicReport> known = ensured.get(topic);
    // Every request to a topic asks: one that is there answers at once, without a hop through the context.
    if (known != null && known.isDone() && !known.isCompletedExceptionally()) {
      return Future.succeededFuture(known.join());
    }
    CompletableFuture<TopicReport> ensuring = ensured.computeIfAbsent(topic,
        name -> creator.ensure(name, settings).toCompletableFuture());
    ensuring.whenComplete((report, failure) -> {
      if (failure != null) {
        ensured.remove(topic, ensuring);
      }
    });
    // On the caller's context, whichever caller started the work.
    return Future.fromCompletionStage(ensuring, vertx.getOrCreateContext());
  }

  @Override
  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      admin.close(Duration.ofSeconds(5));
      adminMeters.close();
      return null;
    }, false);
  }
}
