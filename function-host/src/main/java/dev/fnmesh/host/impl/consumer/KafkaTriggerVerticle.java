package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.tracing.DeliveryTracing;
import dev.fnmesh.mesh.DeliverySettings.Guarantee;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One replica of a Kafka trigger: a member of the trigger's consumer group that invokes the trigger's
 * function with every event of the partitions it is assigned. It owns its consumer thread and replaces it
 * when it dies, after a delay that doubles from 1 s to 30 s while the new ones keep dying, reporting the
 * replica as restarting meanwhile. State on the verticle's context only.
 */
public final class KafkaTriggerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTriggerVerticle.class);
  static final Backoff RESTART = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  // A consumer that ran this long before dying counts as a fresh failure, not one more of a crash loop.
  private static final long STABLE_NANOS = Duration.ofSeconds(60).toNanos();
  /** The error codes a dead letter of a trigger may carry. */
  public static final List<String> DEAD_LETTER_CODES =
      Arrays.stream(DeadLetters.Reason.values()).map(reason -> reason.code).toList();

  private final TriggerSettings settings;
  private final KafkaSettings kafka;
  private final HostedFunction function;
  private final EventPublisher publisher;
  private final TriggerStats stats;
  private final TriggerHealth health;
  private final Tracing tracing;
  private HostedFunction instance;
  private ConsumerLoop loop;
  private boolean stopping;
  private int failures;
  private long restartTimer = -1;

  public KafkaTriggerVerticle(TriggerSettings settings, KafkaSettings kafka, HostedFunction function,
      EventPublisher publisher, TriggerStats stats, TriggerHealth health) {
    this(settings, kafka, function, publisher, stats, health, Tracing.OFF);
  }

  /** @param tracing a span per delivery attempt, when on */
  public KafkaTriggerVerticle(TriggerSettings settings, KafkaSettings kafka, HostedFunction function,
      EventPublisher publisher, TriggerStats stats, TriggerHealth health, Tracing tracing) {
    this.tracing = tracing;
    this.settings = settings;
    this.kafka = kafka;
    this.function = function;
    this.publisher = publisher;
    this.stats = stats;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Future<Void> replyReady = Future.all(settings.replies().topics().stream().map(publisher::prepare).toList())
        .mapEmpty();
    Future<Void> writesReady = replyReady.compose(v -> publisher.prepare(settings.delivery().deadLetterTopic()));
    // A function running outside the JVM (a process) runs one instance per replica: up before the consumer.
    Future<HostedFunction> instanceReady = writesReady.compose(v -> function.startInstance());
    return instanceReady.map(started -> {
      instance = started;
      runConsumer();
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (restartTimer >= 0) {
      vertx.cancelTimer(restartTimer);
    }
    // A consumer that died already was reported when it did; the replica stops cleanly all the same.
    Future<?> stopped = loop == null || loop.ended().isComplete() ? Future.succeededFuture() : loop.stop();
    // The instance stops after the consumer finished its in-flight events.
    return stopped.eventually(() -> {
      health.gone(deploymentID());
      return instance == null ? Future.succeededFuture() : instance.stopInstance();
    });
  }

  // Everything a consumer feeds is made anew with it: a dead consumer's partitions are someone else's now.
  private void runConsumer() {
    String replica = deploymentID();
    OffsetTracker tracker = new OffsetTracker();
    PartitionStalls stalls = new PartitionStalls(health, replica);
    // Exactly once: outcomes are staged and written with their offsets, in the consumer's transactions.
    TransactionalOutcomes transactions = settings.delivery().guarantee() == Guarantee.EXACTLY_ONCE
        ? new TransactionalOutcomes(publisher, tracker, kafka, "fnmesh-" + settings.name() + "-" + replica) : null;
    OutcomeWrites writes = transactions == null ? new OutcomeWrites(settings.name(), tracker, stalls, stats, context)
        : new OutcomeWrites(settings.name(), tracker, stalls, stats, context, transactions::stage);
    DeliveryTracing traced = DeliveryTracing.of(tracing, settings, instance.name());
    EventDelivery delivery = new EventDelivery(settings, instance, transactions == null ? publisher : transactions,
        tracker, writes, stats, context, traced);
    BatchDelivery batches = settings.delivery().batch().isEmpty() ? null
        : new BatchDelivery(settings.name(), delivery, instance, settings.delivery(), tracker, stats, traced);
    RecordDispatcher dispatcher = new RecordDispatcher(delivery, batches, stalls, settings.delivery(), context);
    ConsumerLoop started = new ConsumerLoop(settings, kafka, tracker, dispatcher, stalls, stats, context,
        "fnmesh-trigger-" + settings.name() + "-" + replica, () -> health.running(replica), transactions);
    long startedAt = System.nanoTime();
    loop = started;
    started.start();
    started.ended().onComplete(end -> context.runOnContext(v -> {
      if (!stopping && loop == started) {
        replace(end, tracker, dispatcher, System.nanoTime() - startedAt);
      }
    }));
  }

  private void replace(AsyncResult<Void> end, OffsetTracker tracker, RecordDispatcher dispatcher, long uptimeNanos) {
    // Whatever the dead consumer fetched and did not finish is redelivered to the partitions' next owner.
    tracker.forgetAll();
    dispatcher.revokeAll();
    failures = uptimeNanos >= STABLE_NANOS ? 1 : failures + 1;
    Duration delay = RESTART.delay(failures);
    String cause = end.failed() ? end.cause().toString() : "it ended";
    LOG.error("consumer died, replacing it trigger={} replica={} failures={} restartInMs={} cause={}", settings.name(),
        deploymentID(), failures, delay.toMillis(), cause);
    health.restarting(deploymentID(), "a replica's consumer died (" + cause + "); a new one starts within "
        + delay.toSeconds() + " s");
    restartTimer = vertx.setTimer(delay.toMillis(), id -> {
      restartTimer = -1;
      if (!stopping) {
        runConsumer();
      }
    });
  }
}
