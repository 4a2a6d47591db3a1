package dev.fnmesh.host.runtime;

import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;

import java.util.List;
import java.util.Optional;

/**
 * What other threads see of a trigger the {@link DeployingReconciler} runs: a copy made on its context,
 * with the counters and health its replicas keep updating.
 */
record RunningView(PlannedTrigger plan, TriggerStats stats, TriggerHealth health, int replicas, int wanted,
    boolean started, Optional<String> error, List<String> warnings) {

  TriggerStatus status() {
    var spec = plan.spec();
    Optional<TriggerHealth.Problem> problem = started && error.isEmpty() ? health.problem() : Optional.empty();
    String state = error.isPresent() ? "failed"
        : problem.isPresent() ? problem.get().state() : started ? TriggerHealth.RUNNING : "starting";
    Optional<String> why = problem.isPresent() ? Optional.of(problem.get().reason()) : error;
    return new TriggerStatus(spec.name(), spec.kind(), spec.topic(), spec.function(), spec.replyTopics(), state,
        why, replicas, stats.snapshot(), ScalingStatus.unmeasured(replicas), warnings, spec.step());
  }
}
