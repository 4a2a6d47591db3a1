package dev.fnmesh.controller.impl;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.controller.MeshPlan;
import dev.fnmesh.controller.MeshPlan.PlannedTrigger;
import dev.fnmesh.controller.MeshReconciler;
import dev.fnmesh.controller.TriggerStatus;
import dev.fnmesh.controller.mesh.CronSource;
import dev.fnmesh.controller.mesh.WebhookSource;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.impl.KafkaTriggerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Deploys one {@link KafkaTriggerVerticle} per trigger; an update is undeploy-then-deploy. */
public final class DeployingReconciler implements MeshReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(DeployingReconciler.class);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final TopicAdmin topics;
  private final EventPublisher publisher;
  private final FunctionCatalog catalog;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private Future<Void> lastReconcile = Future.succeededFuture();

  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.topics = topics;
    this.publisher = publisher;
    this.catalog = catalog;
  }

  @Override
  public synchronized Future<Void> reconcile(MeshPlan plan) {
    // Chained so that two reconciles never interleave.
    lastReconcile = lastReconcile.transform(previous -> doReconcile(plan));
    return lastReconcile;
  }

  @Override
  public synchronized Future<Void> stopAll() {
    lastReconcile = lastReconcile.transform(previous -> stop(new ArrayList<>(running.keySet())));
    return lastReconcile;
  }

  @Override
  public List<TriggerStatus> status() {
    List<TriggerStatus> status = new ArrayList<>();
    running.values().forEach(trigger -> status.add(trigger.status()));
    status.sort((a, b) -> a.name().compareTo(b.name()));
    return status;
  }

  private Future<Void> doReconcile(MeshPlan plan) {
    catalog.replace(plan.functions());
    List<String> gone = new ArrayList<>();
    running.forEach((name, trigger) -> {
      PlannedTrigger wanted = plan.triggers().get(name);
      if (wanted == null || !wanted.sameAs(trigger.plan()) || trigger.error != null) {
        gone.add(name);
      }
    });
    return stop(gone).compose(v -> {
      List<Future<Void>> starts = new ArrayList<>();
      plan.triggers().values().stream().filter(trigger -> !running.containsKey(trigger.spec().name()))
          .forEach(trigger -> starts.add(start(trigger)));
      return Future.join(starts).mapEmpty();
    });
  }

  private Future<Void> start(PlannedTrigger trigger) {
    String name = trigger.spec().name();
    Running entry = new Running(trigger, new TriggerStats());
    running.put(name, entry);
    int partitions = trigger.spec().partitions();
    Future<Void> topicsReady = topics.ensureTopic(trigger.spec().topic(), partitions)
        .compose(v -> topics.ensureTopic(trigger.settings().delivery().deadLetterTopic(), partitions))
        .compose(v -> trigger.spec().replyTopic().map(topic -> topics.ensureTopic(topic, partitions))
            .orElse(Future.succeededFuture()));
    return topicsReady
        .compose(v -> vertx.deployVerticle(new KafkaTriggerVerticle(trigger.settings(), kafka, trigger.function(),
            publisher, entry.stats)))
        .onSuccess(deploymentId -> {
          entry.deploymentId = deploymentId;
          LOG.info("trigger started trigger={} topic={} function={} reply={}", name, trigger.spec().topic(),
              trigger.spec().function(), trigger.spec().replyTopic().orElse("-"));
        })
        .onFailure(failure -> {
          entry.error = failure.getMessage();
          LOG.error("trigger failed to start trigger={} cause={}", name, failure.getMessage());
        })
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "trigger '" + name + "' could not start: " + failure.getMessage(), failure)));
  }

  private Future<Void> stop(List<String> names) {
    List<Future<Void>> stops = new ArrayList<>();
    for (String name : names) {
      Running trigger = running.remove(name);
      if (trigger != null && trigger.deploymentId != null) {
        stops.add(vertx.undeploy(trigger.deploymentId).onSuccess(v -> LOG.info("trigger stopped trigger={}", name)));
      }
    }
    return Future.join(stops).mapEmpty();
  }

  /** A trigger this reconciler started; its deployment id is set once its replica runs. */
  private static final class Running {
    private final PlannedTrigger plan;
    private final TriggerStats stats;
    private volatile String deploymentId;
    private volatile String error;

    Running(PlannedTrigger plan, TriggerStats stats) {
      this.plan = plan;
      this.stats = stats;
    }

    PlannedTrigger plan() {
      return plan;
    }

    TriggerStatus status() {
      var spec = plan.spec();
      String kind = spec.source() instanceof WebhookSource ? "webhook" : spec.source() instanceof CronSource ? "cron" : "kafka";
      String state = error != null ? "failed" : deploymentId != null ? "running" : "starting";
      return new TriggerStatus(spec.name(), kind, spec.topic(), spec.function(), spec.replyTopic(), state,
          Optional.ofNullable(error), deploymentId != null ? 1 : 0, stats.snapshot());
    }
  }
}
