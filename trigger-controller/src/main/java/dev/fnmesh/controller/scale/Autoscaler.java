package dev.fnmesh.controller.scale;

import dev.fnmesh.host.runtime.ReplicaScaling;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.runtime.TriggerReplicas;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.mesh.ScaleSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scales every trigger by the lag of its consumer group, each on its own poll timer, and wakes a trigger
 * at zero the moment an ingress accepts an event for its topic. Confined to one Vert.x context: callers on
 * other threads are handed over to it.
 */
public final class Autoscaler implements ReplicaScaling, TriggerHolds {

  private final Vertx vertx;
  private final Context context;
  private final TriggerReplicas replicas;
  private final LagMonitor monitor;
  private final Clock clock;
  private final int replicasPerProcess;
  private final Map<String, TriggerScaling> triggers = new HashMap<>();
  private final Map<String, ScalingStatus> statuses = new HashMap<>();
  // Written on the context after every change, read anywhere: immutable.
  private volatile Map<String, ScalingStatus> published = Map.of();

  /** Scales every trigger up to the max of its {@code scale:}, wherever its replicas run. */
  public Autoscaler(Vertx vertx, TriggerReplicas replicas, LagMonitor monitor, Clock clock) {
    this(vertx, replicas, monitor, clock, 0);
  }

  /**
   * Scales the triggers of a mesh whose replicas all run in this one process.
   *
   * @param replicasPerProcess the most replicas a trigger without a {@code scale:} of its own runs (see
   *     {@link #fitted}); 0 for no such limit
   */
  public Autoscaler(Vertx vertx, TriggerReplicas replicas, LagMonitor monitor, Clock clock, int replicasPerProcess) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.replicas = replicas;
    this.monitor = monitor;
    this.clock = clock;
    this.replicasPerProcess = replicasPerProcess;
  }

  /**
   * The scaling of a trigger run in one process of {@code replicasPerProcess} cores: a trigger whose scaling is
   * the default one (max: its partitions) gets at most that many replicas; more would be extra consumers
   * and threads taking turns on the same cores, which drain a backlog slower, not faster. Its partitions are
   * shared by fewer consumers instead. A {@code scale:} the mesh file gives is kept as it is.
   */
  static ScaleSpec fitted(ScaleSpec scale, int partitions, int replicasPerProcess) {
    if (replicasPerProcess <= 0 || scale.max() <= replicasPerProcess || !scale.equals(ScaleSpec.defaults(partitions))) {
      return scale;
    }
    return new ScaleSpec(scale.min(), Math.max(scale.min(), replicasPerProcess), scale.lagThreshold(),
        scale.activationLagThreshold(), scale.cooldown(), scale.pollInterval());
  }

  /** Scales the triggers of the plan from now on: new and changed ones start afresh, removed ones stop. */
  @Override
  public void replace(MeshPlan plan) {
    context.runOnContext(v -> {
      triggers.entrySet().removeIf(entry -> {
        PlannedTrigger wanted = plan.triggers().get(entry.getKey());
        boolean keep = wanted != null && wanted.sameAs(entry.getValue().trigger());
        if (!keep) {
          entry.getValue().stop();
          statuses.remove(entry.getKey());
        }
        return !keep;
      });
      published = Map.copyOf(statuses);
      plan.triggers().forEach((name, trigger) -> triggers.computeIfAbsent(name, n -> {
        // The scaling reporting, known once built: a report of a replaced one, still in flight, is dropped.
        AtomicReference<TriggerScaling> self = new AtomicReference<>();
        ScaleSpec scale = fitted(trigger.spec().scale(), trigger.spec().partitions(), replicasPerProcess);
        TriggerScaling scaling = new TriggerScaling(vertx, trigger, scale, replicas, monitor, clock,
            // Reported from the trigger's lag measurements, which may complete elsewhere: handed over here.
            status -> context.runOnContext(handedOver -> {
              if (triggers.get(name) == self.get()) {
                statuses.put(name, status);
                published = Map.copyOf(statuses);
              }
            }));
        self.set(scaling);
        scaling.start();
        return scaling;
      }));
    });
  }

  /** An ingress accepted events for the topic: a trigger of it at zero replicas wakes now. */
  public void published(String topic) {
    context.runOnContext(v -> triggers.values().forEach(scaling -> {
      if (scaling.trigger().spec().topic().equals(topic)) {
        scaling.wake(topic);
      }
    }));
  }

  /**
   * Stops every replica of the trigger and keeps it at zero, whatever its lag, until {@link #release}: what
   * moving a consumer group's offsets needs, since Kafka moves them only for a group without members.
   *
   * @return completes once the replicas were asked to stop (in this process: once they stopped and committed);
   *     fails when the running mesh has no such trigger
   */
  @Override
  public Future<Void> hold(String trigger, String reason) {
    return onContext(() -> {
      TriggerScaling scaling = triggers.get(trigger);
      return scaling == null ? Future.failedFuture(new IllegalArgumentException("no trigger '" + trigger + "' is scaled"))
          : scaling.hold(reason);
    });
  }

  /** Scales the trigger by its lag again after {@link #hold}. */
  @Override
  public void release(String trigger) {
    context.runOnContext(v -> {
      TriggerScaling scaling = triggers.get(trigger);
      if (scaling != null) {
        scaling.release();
      }
    });
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }

  @Override
  public Optional<ScalingStatus> status(String trigger) {
    return Optional.ofNullable(published.get(trigger));
  }

  @Override
  public Future<Void> stop() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      triggers.values().forEach(TriggerScaling::stop);
      triggers.clear();
      stopped.complete();
    });
    return stopped.future();
  }
}
