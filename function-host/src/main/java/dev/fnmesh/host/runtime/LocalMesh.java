package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.cron.CronScheduler;
import dev.fnmesh.broker.webhook.WebhookIngress;
import io.vertx.core.Future;

import java.util.List;

/** A mesh run by this process: its ingress schemas, webhooks, cron schedules, scaling and trigger replicas. */
public final class LocalMesh implements MeshTarget {

  private final MeshReconciler reconciler;
  private final WebhookIngress webhooks;
  private final CronScheduler cron;
  private final TopicSchemas topicSchemas;
  private final ReplicaScaling scaling;

  public LocalMesh(MeshReconciler reconciler, WebhookIngress webhooks, CronScheduler cron, TopicSchemas topicSchemas,
      ReplicaScaling scaling) {
    this.reconciler = reconciler;
    this.webhooks = webhooks;
    this.cron = cron;
    this.topicSchemas = topicSchemas;
    this.scaling = scaling;
  }

  @Override
  public Future<Void> run(MeshRuntime.Applied mesh) {
    MeshPlan plan = mesh.plan();
    topicSchemas.replace(plan.topicSchemas(), plan.dataSchemas());
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
