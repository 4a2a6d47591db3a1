package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.impl.consumer.KafkaTriggerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/** Deploys one {@link KafkaTriggerVerticle} per trigger; an update is undeploy-then-deploy. */
public final class DeployingReconciler implements MeshReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(DeployingReconciler.class);
  static final Duration DEFAULT_START_RETRY = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final TopicAdmin topics;
  private final EventPublisher publisher;
  private final FunctionCatalog catalog;
  private final ToIntFunction<PlannedTrigger> initialReplicas;
  private final Duration startRetry;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  private Future<Void> lastReconcile = Future.succeededFuture();

  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas) {
    this(vertx, kafka, topics, publisher, catalog, initialReplicas, DEFAULT_START_RETRY);
  }

  /** @param startRetry how long after a trigger failed to start it is started again */
  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas, Duration startRetry) {
    this.vertx = vertx;
    this.initialReplicas = initialReplicas;
    this.startRetry = startRetry;
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
    lastReconcile = lastReconcile.transform(previous -> stop(new ArrayList<>(running.keySet()))
        .eventually(() -> catalog.replace(Map.of())));
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

  @Override
  public Future<Void> scale(String trigger, int replicas) {
    Running entry = running.get(trigger);
    if (entry == null) {
      return Future.failedFuture(new IllegalArgumentException("no trigger named '" + trigger + "' runs"));
    }
    entry.wanted = replicas;
    return entry.serially(() -> resize(entry, replicas));
  }

  @Override
  public int replicas(String trigger) {
    Running entry = running.get(trigger);
    return entry == null ? 0 : entry.wanted;
  }

  private Future<Void> start(PlannedTrigger trigger) {
    String name = trigger.spec().name();
    Running entry = new Running(trigger, new TriggerStats());
    entry.wanted = initialReplicas.applyAsInt(trigger);
    running.put(name, entry);
    int partitions = trigger.spec().partitions();
    Future<Void> topicsReady = topics.ensureTopic(trigger.spec().topic(), partitions)
        .compose(v -> topics.ensureTopic(trigger.settings().delivery().deadLetterTopic(), partitions))
        .compose(v -> trigger.spec().replyTopic().map(topic -> topics.ensureTopic(topic, partitions))
            .orElse(Future.succeededFuture()));
    return entry.serially(() -> topicsReady.compose(v -> resize(entry, entry.wanted)))
        .onSuccess(v -> {
          entry.started = true;
          LOG.info("trigger started trigger={} topic={} function={} reply={} replicas={}", name, trigger.spec().topic(),
              trigger.spec().function(), trigger.spec().replyTopic().orElse("-"), entry.replicas.size());
        })
        .onFailure(failure -> {
          entry.error = failure.getMessage();
          LOG.error("trigger failed to start trigger={} retryIn={}ms cause={}", name, startRetry.toMillis(),
              failure.getMessage());
          vertx.setTimer(startRetry.toMillis(), id -> retry(entry));
        })
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "trigger '" + name + "' could not start: " + failure.getMessage(), failure)));
  }

  // What failed to start (Kafka unreachable, a topic not yet served) is started again, as long as the
  // mesh still has it unchanged, with the replicas it would start with now.
  private synchronized void retry(Running failed) {
    String name = failed.plan().spec().name();
    lastReconcile = lastReconcile.transform(previous -> {
      if (running.get(name) != failed) {
        return Future.succeededFuture();
      }
      LOG.info("trigger starting again trigger={}", name);
      return stop(List.of(name)).compose(v -> start(failed.plan())).recover(e -> Future.succeededFuture());
    });
  }

  // Replicas are members of one consumer group: adding or removing one moves partitions between them.
  private Future<Void> resize(Running entry, int wanted) {
    List<Future<?>> changes = new ArrayList<>();
    PlannedTrigger trigger = entry.plan();
    while (entry.replicas.size() + entry.pendingStarts < wanted) {
      entry.pendingStarts++;
      changes.add(vertx.deployVerticle(new KafkaTriggerVerticle(trigger.settings(), kafka, trigger.function(), publisher,
          entry.stats)).onComplete(deployed -> {
            entry.pendingStarts--;
            if (deployed.succeeded()) {
              entry.replicas.add(deployed.result());
              if (entry.started) {
                entry.error = null;
              }
            } else if (entry.started) {
              // Shown, and reported by a host to its controller, rather than lost in a log line.
              entry.error = "a replica failed to start: " + deployed.cause().getMessage();
              LOG.error("replica failed to start trigger={} cause={}", trigger.spec().name(), deployed.cause().getMessage());
            }
          }));
    }
    while (entry.replicas.size() > wanted) {
      changes.add(vertx.undeploy(entry.replicas.remove(entry.replicas.size() - 1)));
    }
    if (!changes.isEmpty()) {
      LOG.info("trigger scaled trigger={} replicas={}", trigger.spec().name(), wanted);
    }
    return Future.all(changes).mapEmpty();
  }

  private Future<Void> stop(List<String> names) {
    List<Future<Void>> stops = new ArrayList<>();
    for (String name : names) {
      Running trigger = running.remove(name);
      if (trigger != null) {
        stops.add(trigger.serially(() -> resize(trigger, 0)).onSuccess(v -> LOG.info("trigger stopped trigger={}", name)));
      }
    }
    return Future.join(stops).mapEmpty();
  }

  /** A trigger this reconciler runs: its replicas' deployment ids, changed one operation at a time. */
  private static final class Running {
    private final PlannedTrigger plan;
    private final TriggerStats stats;
    private final List<String> replicas = new CopyOnWriteArrayList<>();
    private int pendingStarts;
    private volatile int wanted;
    private Future<Void> lastOperation = Future.succeededFuture();
    private volatile boolean started;
    private volatile String error;

    Running(PlannedTrigger plan, TriggerStats stats) {
      this.plan = plan;
      this.stats = stats;
    }

    PlannedTrigger plan() {
      return plan;
    }

    synchronized Future<Void> serially(Supplier<Future<Void>> operation) {
      lastOperation = lastOperation.transform(previous -> operation.get());
      return lastOperation;
    }

    TriggerStatus status() {
      var spec = plan.spec();
      String state = error != null ? "failed" : started ? "running" : "starting";
      return new TriggerStatus(spec.name(), spec.kind(), spec.topic(), spec.function(), spec.replyTopic(), state,
          Optional.ofNullable(error), replicas.size(), stats.snapshot(), ScalingStatus.unmeasured(replicas.size()));
    }
  }
}
