package dev.fnmesh.host.runtime;

import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;

import java.util.List;
import java.util.Optional;

/** What other threads see of a trigger the {@link DeployingReconciler} runs: a copy made on its context. */
record RunningView(PlannedTrigger plan, TriggerStats stats, int replicas, int wanted, boolean started,
    Optional<String> error, List<String> warnings) {

  TriggerStatus status() {
    var spec = plan.spec();
    String state = error.isPresent() ? "failed" : started ? "running" : "starting";
    return new TriggerStatus(spec.name(), spec.kind(), spec.topic(), spec.function(), spec.replyTopic(), state,
        error, replicas, stats.snapshot(), ScalingStatus.unmeasured(replicas), warnings);
  }
}
