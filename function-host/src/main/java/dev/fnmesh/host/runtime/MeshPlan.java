package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.DataSchemas;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.broker.webhook.WebhookTrigger;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerSettings;

import java.util.List;
import java.util.Map;

/**
 * A mesh file resolved into everything that runs it: functions found, filters compiled, schemas and
 * secrets read, schedules parsed. Building a plan touches nothing that runs, so a mesh that cannot be
 * planned leaves the running one as it was.
 *
 * @param mesh the mesh file the plan is made from
 * @param functions the functions by name
 * @param triggers every trigger with what its replicas run, by name
 * @param webhooks the webhook triggers, their secrets read
 * @param crons the cron triggers
 * @param topicSchemas the data schema of each topic that has one, a trigger's or one of {@code topics:}, for
 *     the ingress
 * @param dataSchemas the schemas as read for this plan, so that an edited schema file takes effect on reload
 */
public record MeshPlan(
    MeshConfig mesh,
    Map<String, HostedFunction> functions,
    Map<String, PlannedTrigger> triggers,
    List<WebhookTrigger> webhooks,
    List<TriggerSpec> crons,
    Map<String, String> topicSchemas,
    DataSchemas dataSchemas) {

  public MeshPlan {
    functions = Map.copyOf(functions);
    triggers = Map.copyOf(triggers);
    webhooks = List.copyOf(webhooks);
    crons = List.copyOf(crons);
    topicSchemas = Map.copyOf(topicSchemas);
  }

  /**
   * One trigger, planned.
   *
   * @param spec the trigger as the file declares it
   * @param functionSpec its function as the file declares it; a change to either restarts the trigger
   * @param settings what its replicas run with
   * @param function the function its replicas invoke
   */
  public record PlannedTrigger(TriggerSpec spec, FunctionSpec functionSpec, TriggerSettings settings,
      HostedFunction function) {

    /** The replicas the trigger starts with, before its scaler measured anything. */
    public int initialReplicas() {
      return spec.scale().min();
    }

    /**
     * Whether it delivers in order, per partition or per key: its scaler then runs no more replicas than
     * partitions with lag. A key-ordered trigger works many keys of a partition at once inside one replica
     * ({@code maxInFlight}), so replicas beyond those partitions would only stand idle.
     */
    public boolean ordered() {
      return settings.delivery().ordering() != DeliverySettings.Ordering.UNORDERED;
    }

    /** Whether running {@code other} instead of this needs a restart of the trigger's replicas. */
    public boolean sameAs(PlannedTrigger other) {
      return spec.equals(other.spec) && functionSpec.equals(other.functionSpec)
          && function.implementation().equals(other.function.implementation());
    }
  }
}
