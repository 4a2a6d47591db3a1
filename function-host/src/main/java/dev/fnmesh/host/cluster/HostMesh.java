package dev.fnmesh.host.cluster;

import dev.fnmesh.host.runtime.ContextOwner;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The mesh a host runs from the state topic: each document is applied once, in the order read; a mesh this
 * host cannot run (a jar or a schema it lacks) fails each of its triggers here and is tried again every
 * {@value #REPLAN_BEATS} beats. Not thread-safe: used on its host's context only.
 */
final class HostMesh {

  private static final Logger LOG = LoggerFactory.getLogger(HostMesh.class);
  static final int REPLAN_BEATS = 10;

  private final ContextOwner owner;
  private final Function<StateEntry.MeshDocument, Future<Void>> applyMesh;
  private final Runnable afterApply;
  private final MeshLoader loader = new MeshLoader();
  private StateEntry.MeshDocument latest;
  private StateEntry.MeshDocument applied;
  private StateEntry.MeshDocument unplanned;
  private int beatsSinceApply;
  private Map<String, String> failures = Map.of();
  private Future<Void> lastApply = Future.succeededFuture();

  /**
   * @param applyMesh runs a mesh; fails with a {@link MeshException} when it cannot run here
   * @param afterApply runs on the host's context after each apply, whatever its outcome
   */
  HostMesh(ContextOwner owner, Function<StateEntry.MeshDocument, Future<Void>> applyMesh, Runnable afterApply) {
    this.owner = owner;
    this.applyMesh = applyMesh;
    this.afterApply = afterApply;
  }

  /** A mesh document was read: a document read again (the reader started over, or it was written again) is not planned again. */
  void read(StateEntry.MeshDocument mesh) {
    latest = mesh;
    if (!mesh.equals(applied)) {
      apply(mesh);
    }
  }

  /** A beat passed: a mesh that could not run here is tried again now and then (a jar may have been copied in). */
  void beat() {
    if (unplanned != null && unplanned == latest && ++beatsSinceApply >= REPLAN_BEATS) {
      beatsSinceApply = 0;
      apply(unplanned);
    }
  }

  /** Completes once every mesh read so far was applied or refused. */
  Future<Void> lastApply() {
    return lastApply;
  }

  /** The triggers of a mesh this host cannot run, with why; empty when it runs the latest. */
  Map<String, String> failures() {
    return failures;
  }

  private void apply(StateEntry.MeshDocument mesh) {
    applied = mesh;
    lastApply = lastApply.transform(previous -> applyMesh.apply(mesh))
        .transform(done -> owner.call(() -> {
          // Only a mesh this host cannot run fails its triggers here; a trigger that failed to start
          // reports that itself.
          boolean cannotRun = done.failed() && done.cause() instanceof MeshException refused
              && refused.kind() == MeshException.Kind.CANNOT_RUN_HERE;
          failures = cannotRun ? failures(mesh, done.cause()) : Map.of();
          unplanned = cannotRun ? mesh : null;
          beatsSinceApply = 0;
          if (done.failed()) {
            LOG.error("mesh from the controller not run here source={} cause={}", mesh.source(), done.cause().getMessage());
          }
          afterApply.run();
          return Future.<Void>succeededFuture();
        }));
  }

  // Every trigger of the mesh fails here, so that the controller gives their replicas to hosts that can run them.
  private Map<String, String> failures(StateEntry.MeshDocument mesh, Throwable cause) {
    Map<String, String> failed = new HashMap<>();
    try {
      loader.parse(mesh.text(), mesh.source()).triggers().keySet()
          .forEach(trigger -> failed.put(trigger, "the mesh cannot run on this host: " + cause.getMessage()));
    } catch (RuntimeException unreadable) {
      LOG.warn("mesh from the controller not readable here cause={}", unreadable.getMessage());
    }
    return failed;
  }
}
