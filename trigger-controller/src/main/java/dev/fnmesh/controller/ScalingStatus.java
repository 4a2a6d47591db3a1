package dev.fnmesh.controller;

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
 */
public record ScalingStatus(int desiredReplicas, long lag, Map<Integer, Long> lagByPartition,
    Optional<String> lastDecision, Optional<Instant> decidedAt) {

  public ScalingStatus {
    lagByPartition = Map.copyOf(lagByPartition);
  }

  /** Nothing measured yet. */
  public static ScalingStatus unmeasured(int replicas) {
    return new ScalingStatus(replicas, 0, Map.of(), Optional.empty(), Optional.empty());
  }
}
