package dev.fnmesh.host.runtime;

import dev.fnmesh.mesh.InvalidMeshException;
import dev.fnmesh.mesh.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running mesh and the one way to change it: a new mesh text is loaded, validated and planned first,
 * and only a mesh that passes all three replaces the running one, so a bad edit changes nothing. Applies
 * one change at a time.
 */
public final class MeshRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(MeshRuntime.class);

  private final Vertx vertx;
  private final MeshLoader loader;
  private final MeshPlanner planner;
  private final MeshTarget target;
  private final AtomicReference<Applied> current = new AtomicReference<>();
  private Future<Void> lastApply = Future.succeededFuture();

  public MeshRuntime(Vertx vertx, MeshLoader loader, MeshPlanner planner, MeshTarget target) {
    this.vertx = vertx;
    this.loader = loader;
    this.planner = planner;
    this.target = target;
  }

  /**
   * Makes the mesh in {@code text} the running one.
   *
   * @param source where the text comes from, for messages: the file name or {@code PUT /api/mesh}
   * @return a future that fails with {@link InvalidMeshException} when the text is not a valid mesh file,
   *     with {@link IllegalArgumentException} naming the function or trigger when it cannot be planned (in
   *     both cases nothing changed), or with the reconciler's failure when a trigger could not start
   */
  public synchronized Future<Void> apply(String text, String source) {
    // Chained so that changes apply in the order they arrive; planning reads files, so on a worker.
    lastApply = lastApply.transform(previous -> vertx.executeBlocking(() -> planner.plan(loader.parse(text, source)), false)
        .onFailure(e -> LOG.warn("mesh refused source={} cause={}", source, e.getMessage()))
        .compose(plan -> {
          Applied applied = new Applied(text, source, plan);
          current.set(applied);
          return target.run(applied)
              .onSuccess(v -> LOG.info("mesh applied source={} triggers={}", source, plan.triggers().keySet()));
        }));
    return lastApply;
  }

  /** The text of the running mesh and where it came from; null before the first apply. */
  public Applied current() {
    return current.get();
  }

  /** Every trigger of the running mesh with its replicas, events and scaling. */
  public List<TriggerStatus> triggers() {
    return target.triggers();
  }

  /** Stops what the mesh runs. May block: call it off any event loop. */
  public Future<Void> stop() {
    return target.stop();
  }

  /** A mesh that was applied: its text, where it came from, and its plan. */
  public record Applied(String text, String source, MeshPlan plan) {}
}
