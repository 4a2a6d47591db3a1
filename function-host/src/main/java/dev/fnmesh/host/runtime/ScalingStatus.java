package dev.fnmesh.host.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a trigger's scaler last measured and decided.
 *
 * @param desiredReplicas the replicas it asked for
 * @param lag the total lag of the trigger's consumer group on its topic
 * @param lagByPartition the lag of each partition
 * @param lastDecision the last decision that changed the replicas, with its inputs, in words
 * @param decidedAt when that decision was made
 * @param hosts in a mesh across processes, the replicas each host was given, by host id; empty otherwise
 */
public record ScalingStatus(int desiredReplicas, long lag, Map<Integer, Long> lagByPartition,
    Optional<String> lastDecision, Optional<Instant> decidedAt, Map<String, Integer> hosts) {

  public ScalingStatus {
    lagByPartition = Map.copyOf(lagByPartition);
    hosts = Map.copyOf(hosts);
  }

  public ScalingStatus(int desiredReplicas, long lag, Map<Integer, Long> lagByPartition, Optional<String> lastDecision,
      Optional<Instant> decidedAt) {
    this(desiredReplicas, lag, lagByPartition, lastDecision, decidedAt, Map.of());
  }

  public ScalingStatus withHosts(Map<String, Integer> placement) {
    return new ScalingStatus(desiredReplicas, lag, lagByPartition, lastDecision, decidedAt, placement);
  }

  /** Nothing measured yet. */
  public static ScalingStatus unmeasured(int replicas) {
    return new ScalingStatus(replicas, 0, Map.of(), Optional.empty(), Optional.empty());
  }
}
