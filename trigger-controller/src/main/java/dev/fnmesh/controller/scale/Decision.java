package dev.fnmesh.controller.scale;

import java.time.Instant;

/**
 * What the scaling rule decided for one lag report, with the inputs it decided on.
 *
 * @param desired the replicas the trigger should run
 * @param reason one sentence with the inputs and the step taken, for logs and status
 * @param current the replicas running when it was decided
 * @param recommended the replicas this report alone asks for, within min and max
 * @param totalLag the report's total lag
 * @param partitions the topic's partitions
 * @param partitionsWithLag the partitions with a lag above 0
 * @param at when it was decided
 */
public record Decision(int desired, String reason, int current, int recommended, long totalLag, int partitions,
    int partitionsWithLag, Instant at) {

  /** Whether the trigger has to change its replicas. */
  public boolean changes() {
    return desired != current;
  }
}
