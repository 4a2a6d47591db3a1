package dev.fnmesh.host.cluster;

import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.host.runtime.TriggerStatus;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What runs on a host, kept in memory: the triggers the test says run, with the replicas each was last
 * asked for, and why a trigger failed to start. Like the real reconciler it cannot scale a trigger that
 * does not run.
 */
final class InMemoryReconciler implements MeshReconciler {

  private final Map<String, Integer> replicas = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  /** The trigger runs here with the replicas. */
  void runs(String trigger, int count) {
    replicas.put(trigger, count);
  }

  /** The trigger runs here but could not start. */
  void failed(String trigger, String reason) {
    replicas.put(trigger, 0);
    failures.put(trigger, reason);
  }

  @Override
  public Future<Void> reconcile(MeshPlan plan) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stopAll() {
    replicas.clear();
    return Future.succeededFuture();
  }

  @Override
  public List<TriggerStatus> status() {
    return replicas.entrySet().stream().map(entry -> {
      Optional<String> error = Optional.ofNullable(failures.get(entry.getKey()));
      return new TriggerStatus(entry.getKey(), "kafka", entry.getKey(), "identity", java.util.List.of(),
          error.isPresent() ? "failed" : "running", error, entry.getValue(), new TriggerStats().snapshot(),
          ScalingStatus.unmeasured(entry.getValue()));
    }).toList();
  }

  @Override
  public Future<Void> scale(String trigger, int count) {
    if (!replicas.containsKey(trigger)) {
      return Future.failedFuture(new IllegalArgumentException("no trigger named '" + trigger + "' runs"));
    }
    replicas.put(trigger, count);
    return Future.succeededFuture();
  }

  @Override
  public int replicas(String trigger) {
    return replicas.getOrDefault(trigger, 0);
  }
}
