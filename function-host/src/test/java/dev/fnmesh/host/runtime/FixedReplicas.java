package dev.fnmesh.host.runtime;

import io.vertx.core.Future;

import java.util.Optional;

/** Replicas as the plan starts them: no scaling. */
final class FixedReplicas implements ReplicaScaling {

  @Override
  public void replace(MeshPlan plan) {
  }

  @Override
  public Optional<ScalingStatus> status(String trigger) {
    return Optional.empty();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
