package dev.fnmesh.controller.cluster;

import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.cluster.StateEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One trigger's state across the hosts, from what each host's beat says of it: how many replicas run, whether it
 * failed, stalled or restarts somewhere and why, and the warnings of its topics. The worst state wins, as on one
 * host: failed (runs nowhere and some host could not start it), then stalled (someone must act), then
 * restarting (heals by itself).
 *
 * @param running the replicas that run on all hosts
 * @param state {@code running}, {@code failed}, {@code stalled} or {@code restarting}
 * @param error why, each reason prefixed with the host that gives it
 * @param warnings every host's warnings for the trigger, each once
 */
record TriggerConditions(int running, String state, Optional<String> error, List<String> warnings) {

  static TriggerConditions of(String trigger, Collection<StateEntry.HostBeat> beats) {
    int running = 0;
    List<String> failures = new ArrayList<>();
    List<String> stalled = new ArrayList<>();
    List<String> restarting = new ArrayList<>();
    Set<String> warnings = new LinkedHashSet<>();
    for (StateEntry.HostBeat beat : beats.stream().sorted((a, b) -> a.host().compareTo(b.host())).toList()) {
      running += beat.running().getOrDefault(trigger, 0);
      String failure = beat.failed().get(trigger);
      if (failure != null) {
        failures.add("host " + beat.host() + ": " + failure);
      }
      StateEntry.Trouble trouble = beat.troubled().get(trigger);
      if (trouble != null) {
        (trouble.state().equals(TriggerHealth.STALLED) ? stalled : restarting)
            .add("host " + beat.host() + ": " + trouble.reason());
      }
      warnings.addAll(beat.warnings().getOrDefault(trigger, List.of()));
    }
    List<String> warned = List.copyOf(warnings);
    if (running == 0 && !failures.isEmpty()) {
      return new TriggerConditions(running, "failed", Optional.of(String.join("; ", failures)), warned);
    }
    if (!stalled.isEmpty()) {
      return new TriggerConditions(running, TriggerHealth.STALLED, Optional.of(String.join("; ", stalled)), warned);
    }
    if (!restarting.isEmpty()) {
      return new TriggerConditions(running, TriggerHealth.RESTARTING, Optional.of(String.join("; ", restarting)),
          warned);
    }
    return new TriggerConditions(running, TriggerHealth.RUNNING,
        failures.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failures)), warned);
  }
}
