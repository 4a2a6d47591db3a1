package dev.fnmesh.controller.scale;

import io.vertx.core.Future;

/** Who can keep a trigger at zero replicas for a while, whatever its lag: the owner of its placement. */
public interface TriggerHolds {

  /**
   * Stops every replica of the trigger and keeps it at zero until {@link #release}.
   *
   * @param reason shown as the trigger's last scaling decision
   * @return completes once the replicas were asked to stop; fails when no such trigger is scaled
   */
  Future<Void> hold(String trigger, String reason);

  /** Scales the trigger by its lag again. */
  void release(String trigger);
}
