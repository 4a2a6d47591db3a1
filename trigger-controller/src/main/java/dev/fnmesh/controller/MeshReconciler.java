package dev.fnmesh.controller;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.controller.impl.DeployingReconciler;
import dev.fnmesh.controller.mesh.MeshConfig;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.FunctionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Turns a desired mesh into running triggers: resolves its functions, creates the topics its triggers
 * need and runs one consumer replica per trigger. One reconcile at a time; each call brings the running
 * mesh to the given one, starting what is new, restarting what changed and stopping what is gone.
 */
public interface MeshReconciler {

  /**
   * @return a future that completes once every trigger of the mesh runs; it fails, naming the function or
   *     trigger at fault, when a function cannot be found or a topic cannot be created (triggers already
   *     started by this call keep running)
   */
  Future<Void> reconcile(MeshConfig mesh);

  /** Stops every trigger: each finishes its in-flight events and commits before it stops. */
  Future<Void> stopAll();

  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionRegistry registry, FunctionCatalog catalog) {
    return new DeployingReconciler(vertx, kafka, topics, publisher, registry, catalog);
  }
}
