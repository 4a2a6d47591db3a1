package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.cron.CronScheduler;
import dev.fnmesh.broker.webhook.WebhookIngress;
import io.vertx.core.Future;

import java.util.List;

/**
 * A mesh run by this process: the topics its ingress publishes to and their schemas, webhooks, cron
 * schedules, scaling and trigger replicas.
 */
public final class LocalMesh implements MeshTarget {

  private final MeshReconciler reconciler;
  private final WebhookIngress webhooks;
  private final CronScheduler cron;
  private final TopicSchemas topicSchemas;
  private final DeclaredTopics declaredTopics;
  private final ReplicaScaling scaling;

  public LocalMesh(MeshReconciler reconciler, WebhookIngress webhooks, CronScheduler cron, TopicSchemas topicSchemas,
      DeclaredTopics declaredTopics, ReplicaScaling scaling) {
    this.reconciler = reconciler;
    this.webhooks = webhooks;
    this.cron = cron;
    this.topicSchemas = topicSchemas;
    this.declaredTopics = declaredTopics;
    this.scaling = scaling;
  }

  @Override
  public Future<Void> run(MeshRuntime.Applied mesh) {
    MeshPlan plan = mesh.plan();
    // Schemas first: a topic this mesh newly declares is never published to before its schema is in place.
    topicSchemas.replace(plan.topicSchemas(), plan.dataSchemas());
    declaredTopics.replace(plan.mesh().publishableTopics());
    webhooks.replace(plan.webhooks());
    cron.replace(plan.crons());
    scaling.replace(plan);
    return reconciler.reconcile(plan);
  }

  @Override
  public List<TriggerStatus> triggers() {
    return reconciler.status().stream()
        .map(status -> scaling.status(status.name()).map(status::withScaling).orElse(status))
        .toList();
  }

  /** Stops scaling, the cron scheduler and every trigger, all at once; the future completes when all stopped. */
  @Override
  public Future<Void> stop() {
    return Future.join(scaling.stop(), cron.stop(), reconciler.stopAll()).mapEmpty();
  }
}
