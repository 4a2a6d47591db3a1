package dev.fnmesh.host.runtime;

import io.vertx.core.Future;

/** Who runs a trigger's replicas: asked for a number, it starts or stops some. */
public interface TriggerReplicas {

  /**
   * Runs {@code replicas} replicas of the trigger, starting or stopping some; a stopping replica finishes
   * its in-flight events and commits first.
   *
   * @return a future that completes once the change is made; it fails when no such trigger is known
   */
  Future<Void> scale(String trigger, int replicas);

  /** The replicas last asked for the trigger (they may still be starting or stopping); 0 when unknown. */
  int replicas(String trigger);
}
