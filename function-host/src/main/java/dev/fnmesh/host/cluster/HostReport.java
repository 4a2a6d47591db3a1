package dev.fnmesh.host.cluster;

import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.runtime.TriggerStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a host's beat says: the replicas that run here, the triggers that failed here, those that run here but
 * stalled or restart, and the warnings of those that run here. Not thread-safe:
 * used on its host's context only.
 */
final class HostReport {

  private static final long FAILURE_KEPT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final String hostId;
  private final String httpAddress;
  // Failures are reported until the trigger runs a replica here again or for FAILURE_KEPT: a retry that
  // starts no replica (its share is 0 because it failed) proves nothing, and after a while the
  // controller may try this host again.
  private final Map<String, Failure> failedHere = new HashMap<>();

  HostReport(String hostId, String httpAddress) {
    this.hostId = hostId;
    this.httpAddress = httpAddress;
  }

  /**
   * @param triggers what runs here now
   * @param meshFailures the triggers of a mesh this host cannot plan, with why
   * @param nowNanos {@link System#nanoTime()} now
   */
  StateEntry.HostBeat beat(List<TriggerStatus> triggers, Map<String, String> meshFailures, long nowNanos) {
    Map<String, Integer> running = new HashMap<>();
    Map<String, StateEntry.Trouble> troubled = new HashMap<>();
    Map<String, List<String>> warnings = new HashMap<>();
    failedHere.keySet().retainAll(triggers.stream().map(TriggerStatus::name).toList());
    for (TriggerStatus trigger : triggers) {
      if (trigger.replicas() > 0) {
        running.put(trigger.name(), trigger.replicas());
      }
      if (!trigger.warnings().isEmpty()) {
        warnings.put(trigger.name(), trigger.warnings());
      }
      if (trigger.state().equals(TriggerHealth.STALLED) || trigger.state().equals(TriggerHealth.RESTARTING)) {
        troubled.put(trigger.name(), new StateEntry.Trouble(trigger.state(), trigger.error().orElse("")));
      }
      // A stalled or restarting trigger runs here and heals here: only a trigger that could not start failed.
      if (trigger.state().equals("failed") && trigger.error().isPresent()) {
        failedHere.put(trigger.name(), new Failure(trigger.error().get(), nowNanos));
      } else if (trigger.replicas() > 0) {
        failedHere.remove(trigger.name());
      }
    }
    failedHere.values().removeIf(failure -> nowNanos - failure.atNanos() > FAILURE_KEPT_NANOS);
    Map<String, String> failed = new HashMap<>();
    failedHere.forEach((trigger, failure) -> failed.put(trigger, failure.reason()));
    failed.putAll(meshFailures);
    return new StateEntry.HostBeat(hostId, httpAddress, running, failed, troubled, warnings);
  }

  private record Failure(String reason, long atNanos) {}
}
