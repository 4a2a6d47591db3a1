package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicReport;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    Map<String, Object> config = settings.adminConfig("fnmesh-admin-" + UUID.randomUUID());
    // A new topic's partitions are asked for again until their leaders serve them: a backoff growing to the
    // default second would let a start wait up to that long after the broker served them all.
    config.putIfAbsent(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
    this.admin = Admin.create(config);
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
    return ensureTopics(Map.of(topic, settings)).get(topic);
  }

  @Override
  public Map<String, Future<TopicReport>> ensureTopics(Map<String, TopicSettings> topics) {
    Map<String, CompletableFuture<TopicReport>> ensuring = new LinkedHashMap<>();
    Map<String, TopicSettings> unknown = new LinkedHashMap<>();
    Map<String, CompletableFuture<TopicReport>> asked = new HashMap<>();
    topics.forEach((topic, settings) -> ensuring.put(topic, ensured.computeIfAbsent(topic, name -> {
      unknown.put(name, settings);
      CompletableFuture<TopicReport> report = new CompletableFuture<>();
      asked.put(name, report);
      return report;
    })));
    // The topics nobody asked for before go to Kafka together; the others are waited for where they are.
    creator.ensureAll(unknown).forEach((topic, created) -> created.whenComplete((report, failure) -> {
      CompletableFuture<TopicReport> waiting = asked.get(topic);
      if (failure != null) {
        ensured.remove(topic, waiting);
        waiting.completeExceptionally(failure);
      } else {
        waiting.complete(report);
      }
    }));
    // On the caller's context, whichever caller started the work.
    Context context = vertx.getOrCreateContext();
    Map<String, Future<TopicReport>> answers = new LinkedHashMap<>();
    ensuring.forEach((topic, report) -> answers.put(topic, Future.fromCompletionStage(report, context)));
    return answers;
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
