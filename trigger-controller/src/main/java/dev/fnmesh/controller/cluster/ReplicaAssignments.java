package dev.fnmesh.controller.cluster;

import dev.fnmesh.host.cluster.StateEntry;
import dev.fnmesh.host.cluster.StateLog;
import dev.fnmesh.host.runtime.ContextOwner;
import dev.fnmesh.host.runtime.TriggerReplicas;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The controller's side of the replicas: how many each trigger should have in all, spread over the live
 * hosts and written to the state topic, where every host reads its share. A change of the live hosts
 * moves replicas without changing how many there are. Changed on its controller's context only; the
 * autoscaler's requests are handed over to it, and what other threads read is a snapshot it publishes.
 */
final class ReplicaAssignments implements TriggerReplicas {

  private final StateLog log;
  private final ContextOwner owner;
  private final Map<String, StateEntry.Assignment> assignments = new HashMap<>();
  // Decisions whose write failed: written again until one succeeds, so that hosts never keep an old share.
  private final Map<String, StateEntry.Assignment> unwritten = new HashMap<>();
  private SortedSet<String> hosts = new TreeSet<>();
  private Map<String, Set<String>> failedOn = Map.of();
  // Written on the owner's context after every change, read anywhere: immutable.
  private volatile Map<String, StateEntry.Assignment> published = Map.of();

  ReplicaAssignments(StateLog log, ContextOwner owner) {
    this.log = log;
    this.owner = owner;
  }

  /** An assignment found on the state topic at start: the replicas a previous controller decided. */
  void restore(StateEntry.Assignment assignment) {
    assignments.put(assignment.trigger(), assignment);
    published = Map.copyOf(assignments);
  }

  void forget(String trigger) {
    assignments.remove(trigger);
    unwritten.remove(trigger);
    published = Map.copyOf(assignments);
  }

  /** Writes again the decisions whose write failed. */
  void retryUnwritten() {
    for (StateEntry.Assignment assignment : List.copyOf(unwritten.values())) {
      write(assignment);
    }
  }

  @Override
  public Future<Void> scale(String trigger, int replicas) {
    return owner.call(() -> publish(trigger, replicas, "scaled to " + replicas));
  }

  @Override
  public int replicas(String trigger) {
    StateEntry.Assignment assignment = published.get(trigger);
    return assignment == null ? 0 : assignment.desired();
  }

  /** Replicas by host; empty when the trigger has none. */
  Map<String, Integer> placement(String trigger) {
    StateEntry.Assignment assignment = published.get(trigger);
    return assignment == null ? Map.of() : assignment.hosts();
  }

  /**
   * The live hosts, or where triggers failed to start, changed: every trigger's replicas are spread over
   * the live hosts again, leaving out the hosts a trigger failed on while others can take it.
   *
   * @param failed the hosts each trigger could not start on, by trigger
   */
  Future<Void> hostsChanged(SortedSet<String> live, Map<String, Set<String>> failed) {
    hosts = new TreeSet<>(live);
    failedOn = Map.copyOf(failed);
    List<Future<Void>> writes = new ArrayList<>();
    for (StateEntry.Assignment assignment : List.copyOf(assignments.values())) {
      if (!place(assignment.trigger(), assignment.desired()).equals(assignment.hosts())) {
        writes.add(publish(assignment.trigger(), assignment.desired(), "hosts now " + hostsFor(assignment.trigger())));
      }
    }
    return Future.join(writes).mapEmpty();
  }

  private Map<String, Integer> place(String trigger, int desired) {
    return ReplicaPlacement.place(trigger, desired, hostsFor(trigger));
  }

  // A host that could not start the trigger (a jar or a command it lacks) gets none of its replicas,
  // unless no host could.
  private SortedSet<String> hostsFor(String trigger) {
    Set<String> failed = failedOn.getOrDefault(trigger, Set.of());
    SortedSet<String> able = new TreeSet<>(hosts);
    able.removeAll(failed);
    return able.isEmpty() ? hosts : able;
  }

  /** Only these triggers exist now: the assignments of the others are removed from the state topic. */
  Future<Void> retain(Set<String> triggers) {
    List<Future<Void>> writes = new ArrayList<>();
    for (String trigger : List.copyOf(assignments.keySet())) {
      if (!triggers.contains(trigger)) {
        StateEntry.Assignment removed = assignments.remove(trigger);
        unwritten.remove(trigger);
        writes.add(log.write(new StateEntry.Removed(removed.key())));
      }
    }
    published = Map.copyOf(assignments);
    return Future.join(writes).mapEmpty();
  }

  private Future<Void> publish(String trigger, int desired, String reason) {
    StateEntry.Assignment assignment = new StateEntry.Assignment(trigger, desired, place(trigger, desired), reason);
    assignments.put(trigger, assignment);
    published = Map.copyOf(assignments);
    return write(assignment);
  }

  private Future<Void> write(StateEntry.Assignment assignment) {
    unwritten.remove(assignment.trigger());
    return log.write(assignment).onFailure(e -> owner.run(() -> {
      // Only the latest decision for the trigger is worth writing again.
      if (assignments.get(assignment.trigger()) == assignment) {
        unwritten.put(assignment.trigger(), assignment);
      }
    }));
  }
}
