package dev.fnmesh.host.runtime;

import io.vertx.core.Future;

import java.util.List;

/** Where a planned mesh runs: in this process ({@link LocalMesh}) or handed to hosts by a controller. */
public interface MeshTarget {

  /**
   * Makes the mesh the running one.
   *
   * @return a future that fails when part of it could not start (the rest keeps running)
   */
  Future<Void> run(MeshRuntime.Applied mesh);

  /** Every trigger of the running mesh with its replicas, events and scaling. */
  List<TriggerStatus> triggers();

  /** Stops everything that runs; the future completes once it stopped. */
  Future<Void> stop();
}
