package dev.fnmesh.controller.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads a trigger's replicas over the live hosts as evenly as possible. The same inputs always give the
 * same placement, and the replicas that do not divide evenly go to hosts chosen by the trigger's name, so
 * that the odd replicas of many triggers do not all land on the first host.
 */
public final class ReplicaPlacement {

  private ReplicaPlacement() {}

  /** @return replicas by host, naming only hosts that run at least one; empty when there are no hosts */
  public static Map<String, Integer> place(String trigger, int desired, Collection<String> hosts) {
    if (desired < 0) {
      throw new IllegalArgumentException("desired replicas must not be negative, got " + desired);
    }
    List<String> sorted = new ArrayList<>(hosts);
    sorted.sort(null);
    Map<String, Integer> placement = new LinkedHashMap<>();
    if (sorted.isEmpty() || desired == 0) {
      return placement;
    }
    int each = desired / sorted.size();
    int extra = desired % sorted.size();
    int first = Math.floorMod(trigger.hashCode(), sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      boolean getsExtra = Math.floorMod(i - first, sorted.size()) < extra;
      int replicas = each + (getsExtra ? 1 : 0);
      if (replicas > 0) {
        placement.put(sorted.get(i), replicas);
      }
    }
    return placement;
  }
}
