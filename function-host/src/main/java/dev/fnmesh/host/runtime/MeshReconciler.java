package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.metrics.ProcessMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Turns a planned mesh into running triggers: creates the topics they need and runs one consumer replica
 * per trigger. One reconcile at a time; each call brings the running triggers to the plan, starting what
 * is new, restarting what changed (the trigger or its function) and stopping what is gone, each stopping
 * trigger finishing its in-flight events and committing first.
 */
public interface MeshReconciler extends TriggerReplicas {

  /**
   * @return a future that completes once every trigger of the plan runs; it fails, naming the trigger,
   *     when a topic cannot be created or a replica cannot start (the other triggers keep running)
   */
  Future<Void> reconcile(MeshPlan plan);

  /** Stops every trigger: each finishes its in-flight events and commits before it stops. */
  Future<Void> stopAll();

  /** The triggers of the last plan and what each is doing. */
  List<TriggerStatus> status();

  /** A reconciler that starts each trigger with {@link MeshPlan.PlannedTrigger#initialReplicas()} replicas. */
  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog) {
    return create(vertx, kafka, topics, publisher, catalog, MeshPlan.PlannedTrigger::initialReplicas);
  }

  /**
   * A reconciler that starts each trigger with the replicas {@code initialReplicas} gives it: a host of a
   * mesh across processes starts a trigger with its share of the replicas, not with the trigger's minimum.
   */
  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<MeshPlan.PlannedTrigger> initialReplicas) {
    return create(vertx, kafka, topics, publisher, catalog, initialReplicas, Tracing.OFF);
  }

  /** As above, the replicas tracing their deliveries with {@code tracing}. */
  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<MeshPlan.PlannedTrigger> initialReplicas, Tracing tracing) {
    return new DeployingReconciler(vertx, kafka, topics, publisher, catalog, initialReplicas,
        DeployingReconciler.DEFAULT_START_RETRY, tracing);
  }

  /**
   * A reconciler as {@link #create(Vertx, KafkaSettings, TopicAdmin, EventPublisher, FunctionCatalog, ToIntFunction)}
   * whose triggers count their events in {@code metrics}.
   */
  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<MeshPlan.PlannedTrigger> initialReplicas, ProcessMetrics metrics) {
    return new DeployingReconciler(vertx, kafka, topics, publisher, catalog, initialReplicas, metrics);
  }

  /** As above, the replicas counting in {@code metrics} and tracing their deliveries with {@code tracing}. */
  static MeshReconciler create(Vertx vertx, KafkaSettings kafka, TopicAdmin topics, EventPublisher publisher,
      FunctionCatalog catalog, ToIntFunction<MeshPlan.PlannedTrigger> initialReplicas, ProcessMetrics metrics,
      Tracing tracing) {
    return new DeployingReconciler(vertx, kafka, topics, publisher, catalog, initialReplicas, metrics, tracing);
  }
}
