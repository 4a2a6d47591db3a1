package dev.fnmesh.controller;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.controller.impl.DeployingReconciler;
import dev.fnmesh.host.FunctionCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * Turns a planned mesh into running triggers: creates the topics they need and runs one consumer replica
 * per trigger. One reconcile at a time; each call brings the running triggers to the plan, starting what
 * is new, restarting what changed (the trigger or its function) and stopping what is gone, each stopping
 * trigger finishing its in-flight events and committing first.
 */
public interface MeshReconciler {

  /**
   * @return a future that completes once every trigger of the plan runs; it fails, naming the trigger,
   *     when a topic cannot be created or a replica cannot start (the other triggers keep running)
   */
  Future<Void> reconcile(MeshPlan plan);

  /**
   * Runs {@code replicas} consumer replicas of the trigger in this process, starting or stopping some;
   * a stopping replica finishes its in-flight events and commits first.
   *
   * @return a future that completes once the replicas run; it fails when no such trigger runs
   */
  Future<Void> scale(String trigger, int replicas);

  /** The replicas last asked for the trigger (they may still be starting or stopping); 0 when it does not run. */
  int replicas(String trigger);

  /** Stops every trigger: each finishes its in-flight events and commits before it stops. */
  Future<Void> stopAll();

  /** The triggers of the last plan and what each is doing. */
  List<TriggerStatus> status();

  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog) {
    return new DeployingReconciler(vertx, kafka, topics, publisher, catalog);
  }
}
