package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicReport;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.impl.consumer.KafkaTriggerVerticle;
import dev.fnmesh.host.metrics.ProcessMetrics;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Deploys one {@link KafkaTriggerVerticle} per replica of each trigger; a changed trigger is
 * undeploy-then-deploy. Its state lives on one Vert.x context ({@link ContextOwner}) and is changed only
 * there; other threads read the snapshot it publishes after every change.
 */
public final class DeployingReconciler implements MeshReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(DeployingReconciler.class);
  static final Duration DEFAULT_START_RETRY = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final ContextOwner owner;
  private final KafkaSettings kafka;
  private final TopicAdmin topics;
  private final EventPublisher publisher;
  private final FunctionCatalog catalog;
  private final ToIntFunction<PlannedTrigger> initialReplicas;
  private final Duration startRetry;
  private final Function<PlannedTrigger, TriggerStats> newStats;
  private final Tracing tracing;
  // On the owner's context only.
  private final Map<String, Running> running = new LinkedHashMap<>();
  private Future<Void> lastReconcile = Future.succeededFuture();
  // Written on the owner's context after every change, read anywhere: immutable.
  private volatile Map<String, RunningView> published = Map.of();

  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas) {
    this(vertx, kafka, topics, publisher, catalog, initialReplicas, DEFAULT_START_RETRY);
  }

  /** @param startRetry how long after a trigger failed to start it is started again */
  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas, Duration startRetry) {
    this(vertx, kafka, topics, publisher, catalog, initialReplicas, startRetry, trigger -> new TriggerStats(),
        Tracing.OFF);
  }

  /** @param tracing what the replicas trace their deliveries with */
  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas, Duration startRetry, Tracing tracing) {
    this(vertx, kafka, topics, publisher, catalog, initialReplicas, startRetry, trigger -> new TriggerStats(), tracing);
  }

  /** @param metrics where each trigger's meters are registered while it runs */
  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas, ProcessMetrics metrics) {
    this(vertx, kafka, topics, publisher, catalog, initialReplicas, metrics, Tracing.OFF);
  }

  /**
   * @param metrics where each trigger's meters are registered while it runs
   * @param tracing what the replicas trace their deliveries with
   */
  public DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas, ProcessMetrics metrics,
      Tracing tracing) {
    this(vertx, kafka, topics, publisher, catalog, initialReplicas, DEFAULT_START_RETRY,
        trigger -> new TriggerStats(metrics.registry(), metrics.kafkaClients(), trigger.spec().name(),
            trigger.spec().function(), KafkaTriggerVerticle.DEAD_LETTER_CODES), tracing);
  }

  private DeployingReconciler(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<PlannedTrigger> initialReplicas, Duration startRetry,
      Function<PlannedTrigger, TriggerStats> newStats, Tracing tracing) {
    this.newStats = newStats;
    this.tracing = tracing;
    this.vertx = vertx;
    this.owner = new ContextOwner(vertx);
    this.initialReplicas = initialReplicas;
    this.startRetry = startRetry;
    this.kafka = kafka;
    this.topics = topics;
    this.publisher = publisher;
    this.catalog = catalog;
  }

  @Override
  public Future<Void> reconcile(MeshPlan plan) {
    // Chained so that two reconciles never interleave.
    return owner.call(() -> lastReconcile = lastReconcile.transform(previous -> owner.call(() -> doReconcile(plan))));
  }

  @Override
  public Future<Void> stopAll() {
    return owner.call(() -> lastReconcile = lastReconcile.transform(previous -> owner.call(
        () -> stop(new ArrayList<>(running.keySet())).eventually(() -> catalog.replace(Map.of())))));
  }

  @Override
  public List<TriggerStatus> status() {
    List<TriggerStatus> status = new ArrayList<>();
    published.values().forEach(trigger -> status.add(trigger.status()));
    status.sort((a, b) -> a.name().compareTo(b.name()));
    return status;
  }

  @Override
  public Future<Void> scale(String trigger, int replicas) {
    return owner.call(() -> {
      Running entry = running.get(trigger);
      if (entry == null) {
        return Future.failedFuture(new IllegalArgumentException("no trigger named '" + trigger + "' runs"));
      }
      entry.wanted = replicas;
      publish();
      return entry.serially(() -> resize(entry, replicas));
    });
  }

  @Override
  public int replicas(String trigger) {
    RunningView view = published.get(trigger);
    return view == null ? 0 : view.wanted();
  }

  private Future<Void> doReconcile(MeshPlan plan) {
    catalog.replace(plan.functions());
    List<String> gone = new ArrayList<>();
    running.forEach((name, trigger) -> {
      PlannedTrigger wanted = plan.triggers().get(name);
      if (wanted == null || !wanted.sameAs(trigger.plan) || trigger.error != null) {
        gone.add(name);
      }
    });
    return stop(gone).compose(v -> owner.call(() -> {
      List<PlannedTrigger> starting = plan.triggers().values().stream()
          .filter(trigger -> !running.containsKey(trigger.spec().name())).toList();
      // Every topic of every trigger starting goes to Kafka in one request, rather than one request a trigger
      // that the controller would handle one after another; each trigger then waits for its own topics only.
      Map<String, TopicSettings> needed = new LinkedHashMap<>();
      starting.forEach(trigger -> topicsOf(trigger).forEach(needed::putIfAbsent));
      Map<String, Future<TopicReport>> ensured = topics.ensureTopics(needed);
      List<Future<Void>> starts = new ArrayList<>();
      starting.forEach(trigger -> starts.add(start(trigger, 0, null, ensured)));
      return Future.join(starts).mapEmpty();
    }));
  }

  /**
   * @param failedBefore how many starts of the trigger in a row failed before this one
   * @param lastError why the start before this one failed, shown until this one ends; null for a first start
   * @param ensured the topics being made sure of, the trigger's among them
   */
  private Future<Void> start(PlannedTrigger trigger, int failedBefore, String lastError,
      Map<String, Future<TopicReport>> ensured) {
    String name = trigger.spec().name();
    long startNanos = System.nanoTime();
    Running entry = new Running(trigger, newStats.apply(trigger));
    entry.failedStarts = failedBefore;
    // A trigger started again stays failed, with its reason, until it runs: not briefly "starting" as if new.
    entry.error = lastError;
    entry.wanted = initialReplicas.applyAsInt(trigger);
    running.put(name, entry);
    publish();
    List<Future<TopicReport>> own = topicsOf(trigger).keySet().stream().map(ensured::get).toList();
    Future<List<TopicReport>> topicsReady = Future.all(own).map(all -> all.<TopicReport>list());
    return entry.serially(() -> topicsReady.compose(reports -> owner.call(() -> {
      // A topic that exists with fewer replicas than asked is used, and said so beside the trigger.
      entry.warnings = reports.stream().filter(TopicReport::underReplicated).map(TopicReport::problem).toList();
      return resize(entry, entry.wanted);
    })))
        .transform(done -> owner.call(() -> {
          if (done.succeeded()) {
            entry.started = true;
            entry.error = null;
            publish();
            LOG.info("trigger started trigger={} topic={} function={} reply={} replicas={} startMs={}", name,
                trigger.spec().topic(), trigger.spec().function(),
                trigger.spec().reply().isEmpty() ? "-" : String.join(",", trigger.spec().replyTopics()),
                entry.replicas.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return Future.<Void>succeededFuture();
          }
          entry.failedStarts++;
          Duration delay = StartRetries.delay(startRetry, entry.failedStarts);
          entry.error = done.cause().getMessage() + " (" + StartRetries.describe(entry.failedStarts, delay) + ")";
          publish();
          LOG.error("trigger failed to start trigger={} failedStarts={} retryIn={}ms cause={}", name,
              entry.failedStarts, delay.toMillis(), done.cause().getMessage());
          vertx.setTimer(delay.toMillis(), id -> retry(entry));
          return Future.<Void>failedFuture(new IllegalStateException(
              "trigger '" + name + "' could not start: " + done.cause().getMessage(), done.cause()));
        }));
  }

  // The reply and dead-letter topics get the trigger's partitions and the default replication.
  private static Map<String, TopicSettings> topicsOf(PlannedTrigger trigger) {
    TopicSettings others = TopicSettings.of(trigger.spec().partitions());
    Map<String, TopicSettings> needed = new LinkedHashMap<>();
    needed.put(trigger.spec().topic(), trigger.spec().topicSettings());
    needed.putIfAbsent(trigger.settings().delivery().deadLetterTopic(), others);
    trigger.spec().replyTopics().forEach(reply -> needed.putIfAbsent(reply, others));
    return needed;
  }

  // What failed to start (Kafka unreachable, a topic not yet served) is started again, as long as the
  // mesh still has it unchanged, with the replicas it would start with now.
  private void retry(Running failed) {
    String name = failed.plan.spec().name();
    owner.call(() -> lastReconcile = lastReconcile.transform(previous -> owner.call(() -> {
      if (running.get(name) != failed) {
        return Future.succeededFuture();
      }
      LOG.info("trigger starting again trigger={}", name);
      return stop(List.of(name)).compose(v -> owner.call(
          () -> start(failed.plan, failed.failedStarts, failed.error, topics.ensureTopics(topicsOf(failed.plan)))))
          .otherwiseEmpty();
    })));
  }

  // Replicas are members of one consumer group: adding or removing one moves partitions between them.
  private Future<Void> resize(Running entry, int wanted) {
    List<Future<?>> changes = new ArrayList<>();
    PlannedTrigger trigger = entry.plan;
    // While a failed replica start waits for its retry, no other start jumps the backoff (a second wake-up of the
    // same trigger, a scaler's next decision): the retry starts what is wanted by then.
    while (!entry.replicaRetry && entry.replicas.size() + entry.pendingStarts < wanted) {
      entry.pendingStarts++;
      changes.add(vertx.deployVerticle(new KafkaTriggerVerticle(trigger.settings(), kafka, trigger.function(), publisher,
          entry.stats, entry.health, tracing)).transform(deployed -> owner.call(() -> {
            entry.pendingStarts--;
            if (deployed.succeeded()) {
              entry.replicas.add(deployed.result());
              if (entry.started) {
                entry.error = null;
                entry.failedStarts = 0;
              }
            } else if (entry.started) {
              // Shown, and reported by a host to its controller, rather than lost in a log line; started again
              // later and later (a function whose process exits at once), its events waiting meanwhile.
              entry.failedStarts++;
              Duration delay = StartRetries.delay(startRetry, entry.failedStarts);
              entry.error = "a replica failed to start: " + deployed.cause().getMessage() + " ("
                  + StartRetries.describe(entry.failedStarts, delay) + ")";
              LOG.error("replica failed to start trigger={} failedStarts={} retryIn={}ms cause={}", trigger.spec().name(),
                  entry.failedStarts, delay.toMillis(), deployed.cause().getMessage());
              retryReplicas(entry, delay);
            }
            publish();
            return deployed.succeeded() ? Future.succeededFuture() : Future.failedFuture(deployed.cause());
          })));
    }
    while (entry.replicas.size() > wanted) {
      changes.add(vertx.undeploy(entry.replicas.remove(entry.replicas.size() - 1)));
    }
    if (!changes.isEmpty()) {
      publish();
      LOG.info("trigger scaled trigger={} replicas={}", trigger.spec().name(), wanted);
    }
    return Future.all(changes).mapEmpty();
  }

  // One timer at a time per trigger, however many of its replicas failed together.
  private void retryReplicas(Running entry, Duration delay) {
    if (entry.replicaRetry) {
      return;
    }
    entry.replicaRetry = true;
    vertx.setTimer(delay.toMillis(), id -> owner.run(() -> {
      entry.replicaRetry = false;
      if (running.get(entry.plan.spec().name()) == entry) {
        entry.serially(() -> resize(entry, entry.wanted));
      }
    }));
  }

  private Future<Void> stop(List<String> names) {
    List<Future<Void>> stops = new ArrayList<>();
    for (String name : names) {
      Running trigger = running.remove(name);
      if (trigger != null) {
        // Its series leave /metrics once its replicas stopped counting; a trigger of that name starts after.
        stops.add(trigger.serially(() -> resize(trigger, 0)).onSuccess(v -> LOG.info("trigger stopped trigger={}", name))
            .onComplete(v -> trigger.stats.close()));
      }
    }
    publish();
    return Future.join(stops).mapEmpty();
  }

  private void publish() {
    Map<String, RunningView> views = new HashMap<>();
    running.forEach((name, entry) -> views.put(name, entry.view()));
    published = Map.copyOf(views);
  }

  /** A trigger this reconciler runs: its replicas' deployment ids, changed one operation at a time. */
  private final class Running {
    private final PlannedTrigger plan;
    private final TriggerStats stats;
    private final TriggerHealth health = new TriggerHealth();
    private final List<String> replicas = new ArrayList<>();
    private int pendingStarts;
    private int failedStarts;
    private boolean replicaRetry;
    private int wanted;
    private Future<Void> lastOperation = Future.succeededFuture();
    private boolean started;
    private String error;
    private List<String> warnings = List.of();

    Running(PlannedTrigger plan, TriggerStats stats) {
      this.plan = plan;
      this.stats = stats;
    }

    Future<Void> serially(Supplier<Future<Void>> operation) {
      lastOperation = lastOperation.transform(previous -> owner.call(operation));
      return lastOperation;
    }

    RunningView view() {
      return new RunningView(plan, stats, health, replicas.size(), wanted, started, Optional.ofNullable(error), warnings);
    }
  }
}
