package dev.fnmesh.host.runtime;


import io.vertx.core.Future;

import java.util.Optional;

/**
 * What decides how many replicas of each trigger run here: the {@link Autoscaler} of a mesh in one
 * process, or a host's share of what the controller decided for a mesh across processes.
 */
public interface ReplicaScaling {

  /** Follows the triggers of the plan from now on: new and changed ones start afresh, removed ones stop. */
  void replace(MeshPlan plan);

  /** What the trigger's scaling last measured and decided; empty before anything was. */
  Optional<ScalingStatus> status(String trigger);

  /** Stops following the triggers; the future completes once it stopped. */
  Future<Void> stop();
}
