package dev.fnmesh.controller.scale;

import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.runtime.TriggerReplicas;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.StartFrom;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One trigger's scaling loop: measure the lag every poll interval, decide, resize. Runs on the
 * autoscaler's context; a measurement that fails keeps the replicas as they are.
 */
final class TriggerScaling {

  private static final Logger LOG = LoggerFactory.getLogger(TriggerScaling.class);

  private final Vertx vertx;
  private final PlannedTrigger trigger;
  private final TriggerReplicas replicas;
  private final LagMonitor monitor;
  private final Clock clock;
  private final Consumer<ScalingStatus> report;
  private final Scaler scaler;
  private final StartFrom startFrom;
  private long timer = -1;
  private boolean stopped;
  // Held at zero (while its offsets are moved): no measurement resizes it and no event wakes it.
  private boolean held;
  // A measurement is on its way: it schedules the next one, so a release must not start a second loop.
  private boolean measuring;
  private String lastDecision;
  private java.time.Instant decidedAt;
  private ScalingStatus reported;

  /** @param scale how the trigger scales here: its {@code scale:}, or less where it runs */
  TriggerScaling(Vertx vertx, PlannedTrigger trigger, ScaleSpec scale, TriggerReplicas replicas, LagMonitor monitor,
      Clock clock, Consumer<ScalingStatus> report) {
    this.vertx = vertx;
    this.trigger = trigger;
    this.replicas = replicas;
    this.monitor = monitor;
    this.clock = clock;
    this.report = report;
    this.scaler = new Scaler(scale, trigger.ordered());
    this.startFrom = StartFrom.parse(trigger.settings().startFrom());
  }

  PlannedTrigger trigger() {
    return trigger;
  }

  void start() {
    reported = ScalingStatus.unmeasured(trigger.initialReplicas());
    report.accept(reported);
    schedule(0);
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Stops every replica and keeps the trigger at zero until {@link #release}.
   *
   * @return completes once the replicas were asked to stop (they stop later when they run elsewhere)
   */
  Future<Void> hold(String reason) {
    held = true;
    String name = trigger.spec().name();
    LOG.info("holding trigger={} from={} reason=\"{}\"", name, current(), reason);
    lastDecision = reason;
    decidedAt = clock.instant();
    reported = new ScalingStatus(0, reported.lag(), reported.lagByPartition(), Optional.of(reason), Optional.of(decidedAt));
    report.accept(reported);
    return replicas.scale(name, 0);
  }

  /** Scales the trigger by its lag again, measuring it now. */
  void release() {
    if (!held) {
      return;
    }
    held = false;
    if (!measuring) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      schedule(0);
    }
  }

  /** Events just landed on the topic: at zero, wake without waiting for the next measurement. */
  void wake(String topic) {
    ScaleSpec settings = scaler.settings();
    // Above an activation threshold only a measurement can tell whether the trigger should wake.
    if (stopped || held || current() > 0 || settings.activationLagThreshold() > 0) {
      return;
    }
    resize(Math.max(1, settings.min()), "woken from zero: events were just published to " + topic);
  }

  // The reconciler's count, not one kept here: a restarted trigger starts again from its initial replicas.
  private int current() {
    return replicas.replicas(trigger.spec().name());
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delayMs), id -> measure());
    }
  }

  private void measure() {
    String name = trigger.spec().name();
    measuring = true;
    monitor.measure(trigger.spec().topic(), trigger.settings().groupId(), startFrom).onComplete(measured -> {
      measuring = false;
      if (stopped) {
        return;
      }
      if (measured.failed()) {
        LOG.debug("lag not measured trigger={} cause={}", name, measured.cause().getMessage());
      } else if (held) {
        return; // release() measures again
      } else {
        decide(measured.result());
      }
      schedule(scaler.settings().pollInterval().toMillis());
    });
  }

  private void decide(LagReport lag) {
    Decision decision = scaler.decide(current(), lag, clock.instant());
    if (decision.changes()) {
      resize(decision.desired(), decision.reason());
    }
    Map<Integer, Long> byPartition = new LinkedHashMap<>();
    for (PartitionLag partition : lag.partitions()) {
      byPartition.put(partition.partition(), partition.lag());
    }
    reported = new ScalingStatus(decision.desired(), lag.totalLag(), byPartition, Optional.ofNullable(lastDecision),
        Optional.ofNullable(decidedAt));
    report.accept(reported);
  }

  private void resize(int desired, String reason) {
    String name = trigger.spec().name();
    LOG.info("scaling trigger={} from={} to={} reason=\"{}\"", name, current(), desired, reason);
    lastDecision = reason;
    decidedAt = clock.instant();
    // Shown at once, not at the next measurement: a wake-up happens between measurements.
    reported = new ScalingStatus(desired, reported.lag(), reported.lagByPartition(), Optional.of(reason), Optional.of(decidedAt));
    report.accept(reported);
    replicas.scale(name, desired).onFailure(e -> LOG.warn("scaling failed trigger={} to={} cause={}", name, desired,
        e.getMessage()));
  }
}
