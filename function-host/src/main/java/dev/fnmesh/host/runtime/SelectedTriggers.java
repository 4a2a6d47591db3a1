package dev.fnmesh.host.runtime;

import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.TriggerSpec;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A process that runs only some triggers of its mesh, each at a fixed number of replicas, for a scaler outside
 * it (KEDA) that scales a trigger by running more such processes. Its ingress and webhooks still take events
 * for every topic of the mesh; cron schedules run only for the named triggers; the others run nowhere here.
 */
public final class SelectedTriggers implements MeshTarget {

  private static final Logger LOG = LoggerFactory.getLogger(SelectedTriggers.class);

  private final MeshTarget target;
  private final Set<String> names;
  private final int replicas;

  /**
   * @param names the triggers to run; empty runs none (an ingress only)
   * @param replicas the replicas each of them runs, unscaled
   * @throws IllegalArgumentException when replicas is outside 1 to {@link ScaleSpec#MAX_REPLICAS}
   */
  public SelectedTriggers(MeshTarget target, Set<String> names, int replicas) {
    if (replicas < 1 || replicas > ScaleSpec.MAX_REPLICAS) {
      throw new IllegalArgumentException("replicas must be between 1 and " + ScaleSpec.MAX_REPLICAS + ", got " + replicas);
    }
    this.target = target;
    this.names = Set.copyOf(names);
    this.replicas = replicas;
  }

  @Override
  public Future<Void> run(MeshRuntime.Applied mesh) {
    return target.run(new MeshRuntime.Applied(mesh.text(), mesh.source(), select(mesh.plan()), mesh.generation()));
  }

  /** The plan with only the named triggers and cron schedules, each trigger at min = max = the replicas. */
  MeshPlan select(MeshPlan plan) {
    Set<String> unknown = new TreeSet<>(names);
    unknown.removeAll(plan.triggers().keySet());
    if (!unknown.isEmpty()) {
      LOG.warn("triggers to run are not in the mesh triggers={} mesh={}", unknown, new TreeSet<>(plan.triggers().keySet()));
    }
    Map<String, MeshPlan.PlannedTrigger> selected = new LinkedHashMap<>();
    plan.triggers().forEach((name, trigger) -> {
      if (names.contains(name)) {
        selected.put(name, new MeshPlan.PlannedTrigger(fixed(trigger.spec()), trigger.functionSpec(),
            trigger.settings(), trigger.function()));
      }
    });
    List<TriggerSpec> crons = plan.crons().stream().filter(cron -> names.contains(cron.name())).toList();
    return new MeshPlan(plan.mesh(), plan.functions(), selected, plan.webhooks(), crons, plan.topicSchemas(),
        plan.dataSchemas());
  }

  private TriggerSpec fixed(TriggerSpec spec) {
    ScaleSpec scale = spec.scale();
    ScaleSpec constant = new ScaleSpec(replicas, replicas, scale.lagThreshold(), scale.activationLagThreshold(),
        scale.cooldown(), scale.pollInterval());
    return new TriggerSpec(spec.name(), spec.source(), spec.topic(), spec.partitions(), spec.function(),
        spec.reply(), spec.filter(), spec.delivery(), spec.dataschema(), constant, spec.step());
  }

  @Override
  public List<TriggerStatus> triggers() {
    return target.triggers();
  }

  @Override
  public Future<Void> stop() {
    return target.stop();
  }
}
