package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.TriggerSpec;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Fires the cron triggers of a mesh: one CloudEvent per scheduled instant, exactly once across every
 * process that runs the mesh against one Kafka cluster.
 *
 * <p>How: every process's scheduler joins the consumer group {@code fnmesh.cron} on the compacted,
 * single-partition state topic {@code fnmesh.cron.state}; the one member the group assigns the partition
 * to is the leader, the others only wait. A new leader first creates a producer with the transactional id
 * all processes share, which fences the previous leader (its open transaction is aborted, any further
 * write fails) even while that one still believes it leads. It then reads the state topic to its end:
 * the last fired scheduled instant per trigger (record key = trigger name). Each tick is one transaction
 * that writes the tick event to the trigger's topic and the trigger's new state record, so the state
 * says "fired" exactly when the event is visible to {@code read_committed} consumers, and no leader fires
 * a tick at or before the state. Consumers of tick topics must read with
 * {@code isolation.level=read_committed}: others may see events of aborted transactions.
 *
 * <p>Ticks are fired by a dedicated thread owning every Kafka client, which waits in {@code poll} bounded
 * by the time to the next tick. A tick later than {@link CronSchedulerSettings#lateTolerance()} (no
 * leader ran, a leader change, a stall) is missed and follows its trigger's {@link CronSource.Missed}.
 *
 * <p>Thread-safety: every method may be called from any thread; {@link #replace} and {@link #start} do
 * not block, {@link #close} blocks up to about 15 s and must not be called on an event loop.
 */
public final class CronScheduler implements AutoCloseable {

  private final CronLoop loop;
  private final String instance;

  /** A scheduler with the default state topic, group and transactional id. */
  public CronScheduler(KafkaSettings kafka, StateSignatures signatures) {
    this(kafka, CronSchedulerSettings.defaults(), signatures);
  }

  /**
   * @param signatures signs the state records this scheduler writes; a state record read that does not
   *     verify is ignored, so that a forged "last fired" cannot silence a trigger
   */
  public CronScheduler(KafkaSettings kafka, CronSchedulerSettings settings, StateSignatures signatures) {
    this(kafka, settings, signatures, Tracing.OFF);
  }

  /** @param tracing a root span per tick, whose context the tick event carries, when on */
  public CronScheduler(KafkaSettings kafka, CronSchedulerSettings settings, StateSignatures signatures,
      Tracing tracing) {
    this(kafka, settings, signatures, tracing, KafkaClientMeters.none());
  }

  /** @param meters binds the scheduler's consumer, producer and admin client while they are open */
  public CronScheduler(KafkaSettings kafka, CronSchedulerSettings settings, StateSignatures signatures,
      Tracing tracing, KafkaClientMeters meters) {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(signatures, "signatures");
    Objects.requireNonNull(meters, "meters");
    this.instance = "fnmesh-cron-" + UUID.randomUUID().toString().substring(0, 8);
    this.loop = new CronLoop(kafka, settings, instance, Clock.systemUTC(), signatures, tracing, meters);
  }

  /**
   * Starts the cron thread: it creates the state topic if missing, joins the group and fires the triggers
   * of the latest {@link #replace} while it leads. Kafka being unreachable is logged and retried.
   *
   * @throws IllegalStateException when started before or closed
   */
  public void start() {
    loop.start();
  }

  /**
   * Makes {@code triggers} the set of cron triggers, within milliseconds on the cron thread. A new
   * trigger starts from now (no backfill), a changed one starts again from now, a removed one stops.
   * Each trigger's topic is created with its partitions when missing.
   *
   * @throws IllegalArgumentException when two triggers have the same name
   */
  public void replace(Collection<TriggerSpec> triggers) {
    List<TriggerSpec> copy = List.copyOf(triggers);
    Set<String> names = new HashSet<>();
    for (TriggerSpec trigger : copy) {
      if (!(trigger.source() instanceof CronSource)) {
        throw new IllegalArgumentException("trigger '" + trigger.name() + "' is a " + trigger.kind()
            + " trigger, not a cron trigger");
      }
      if (!names.add(trigger.name())) {
        throw new IllegalArgumentException("cron trigger names must be unique, got '" + trigger.name()
            + "' twice");
      }
    }
    loop.replace(copy);
  }

  /** Whether this scheduler leads, i.e. fires the ticks, at this moment. */
  public boolean isLeader() {
    return loop.isLeader();
  }

  /** The name of this scheduler in logs ({@code leader=...}) and Kafka client ids. */
  public String instance() {
    return instance;
  }

  /**
   * Stops firing, aborts an open transaction, leaves the group (another process takes over) and closes
   * every Kafka client, without waiting.
   *
   * @return a future that completes once the cron thread ended; it fails with what ended it otherwise
   */
  public Future<Void> stop() {
    return loop.stop();
  }

  /**
   * Stops firing, aborts an open transaction, leaves the group (another process takes over) and closes
   * every Kafka client. Blocks until the cron thread ended, at most about 15 s.
   */
  @Override
  public void close() {
    loop.close();
  }
}
