package dev.fnmesh.host.runtime;

import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * The running mesh and the one way to change it: a new mesh text is loaded, validated and planned first,
 * and only a mesh that passes all three replaces the running one, so a bad edit changes nothing. Applies
 * one change at a time, on one Vert.x context; each accepted mesh is a new generation.
 */
public final class MeshRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(MeshRuntime.class);

  private final Vertx vertx;
  private final ContextOwner owner;
  private final MeshLoader loader;
  private final MeshPlanner planner;
  private final MeshTarget target;
  // On the owner's context only.
  private Future<Void> lastApply = Future.succeededFuture();
  private long generation;
  // Written on the owner's context, read anywhere: immutable.
  private volatile Applied current;

  public MeshRuntime(Vertx vertx, MeshLoader loader, MeshPlanner planner, MeshTarget target) {
    this.vertx = vertx;
    this.owner = new ContextOwner(vertx);
    this.loader = loader;
    this.planner = planner;
    this.target = target;
  }

  /**
   * Makes the mesh in {@code text} the running one.
   *
   * @param source where the text comes from, for messages: the file name or {@code PUT /api/mesh}
   * @return a future that fails with a {@link MeshException} of kind {@code INVALID} when the text is not a
   *     valid mesh file, of kind {@code CANNOT_RUN_HERE} naming the function or trigger when this process
   *     cannot run it (in both cases nothing changed), or with the reconciler's failure when a trigger could
   *     not start
   */
  public Future<Void> apply(String text, String source) {
    return apply(text, source, mesh -> {});
  }

  /**
   * Makes the mesh in {@code text} the running one if {@code admit} lets it through.
   *
   * @param admit sees the loaded mesh before it is planned, also when it is the running one, and refuses it
   *     by throwing a {@link MeshException}
   * @return a future that fails as {@link #apply(String, String)} does, or with what {@code admit} threw
   *     (nothing changed then)
   */
  public Future<Void> apply(String text, String source, Consumer<MeshConfig> admit) {
    // Chained so that changes apply in the order they arrive.
    return owner.call(() -> lastApply = lastApply.transform(previous -> {
      Applied running = current;
      if (running != null && running.text().equals(text)) {
        // The same mesh again (a PUT repeated, a document read twice) is not a new generation.
        LOG.debug("mesh unchanged source={} generation={}", source, running.generation());
        try {
          admit.accept(running.plan().mesh());
        } catch (MeshException refused) {
          return Future.failedFuture(refused);
        }
        return Future.succeededFuture();
      }
      return plan(text, source, admit);
    }));
  }

  /**
   * Plans the mesh in {@code text} again even when it is the running one, as a new generation: what it
   * names outside the file (a function's jar, a data schema) may have changed.
   *
   * @return a future that fails as {@link #apply} does
   */
  public Future<Void> reload(String text, String source) {
    return owner.call(() -> lastApply = lastApply.transform(previous -> plan(text, source, mesh -> {})));
  }

  private Future<Void> plan(String text, String source, Consumer<MeshConfig> admit) {
    // Planning reads files (jars, schemas, secrets): on a worker.
    return vertx.executeBlocking(() -> {
      MeshConfig mesh = loader.parse(text, source);
      admit.accept(mesh);
      return planner.plan(mesh);
    }, false)
        .onFailure(e -> LOG.warn("mesh refused source={} cause={}", source, e.getMessage()))
        .compose(plan -> owner.call(() -> {
          Applied applied = new Applied(text, source, plan, ++generation);
          current = applied;
          return target.run(applied).onSuccess(v -> LOG.info("mesh applied source={} generation={} triggers={}",
              source, applied.generation(), plan.triggers().keySet()));
        }));
  }

  /** The text of the running mesh and where it came from; null before the first apply. */
  public Applied current() {
    return current;
  }

  /** Every trigger of the running mesh with its replicas, events and scaling. */
  public List<TriggerStatus> triggers() {
    return target.triggers();
  }

  /** Stops what the mesh runs; the future completes once it stopped. */
  public Future<Void> stop() {
    return target.stop();
  }

  /**
   * A mesh that was applied: its text, where it came from, its plan, and its generation, counted from 1 by
   * every mesh this runtime accepted.
   */
  public record Applied(String text, String source, MeshPlan plan, long generation) {}
}
