package dev.fnmesh.host;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What keeps a trigger's replicas in this process from running normally: partitions that stopped on a
 * write Kafka will not take, and replicas whose consumer died and is being replaced. Shared by the
 * trigger's replicas, which report into it from their own threads; thread-safe.
 */
public final class TriggerHealth {

  /** A trigger whose replicas run as they should: no problem. */
  public static final String RUNNING = "running";
  /** At least one partition stopped: a reply or dead letter Kafka refuses is retried with backoff. */
  public static final String STALLED = "stalled";
  /** At least one replica's consumer died and is being replaced. */
  public static final String RESTARTING = "restarting";

  // Keyed "replica partition": a partition moves between replicas, each clears only its own report.
  private final ConcurrentMap<String, String> stalled = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> restarting = new ConcurrentHashMap<>();

  /** The partition stopped on a write that cannot succeed as things are; {@code reason} says which and why. */
  public void stalled(String replica, String partition, String reason) {
    stalled.put(replica + " " + partition, reason);
  }

  /** The partition's stalled writes went through, or it is no longer the replica's. */
  public void resumed(String replica, String partition) {
    stalled.remove(replica + " " + partition);
  }

  /** The replica's consumer died; a new one starts after a delay. */
  public void restarting(String replica, String reason) {
    restarting.put(replica, reason);
  }

  /** The replica's consumer runs (again). */
  public void running(String replica) {
    restarting.remove(replica);
  }

  /** The replica stopped: what it reported no longer holds. */
  public void gone(String replica) {
    restarting.remove(replica);
    stalled.keySet().removeIf(key -> key.startsWith(replica + " "));
  }

  /**
   * The trigger's worst problem now: stalled partitions before restarting replicas, since a stall needs
   * someone to act while a restart heals by itself.
   *
   * @return empty when every replica runs normally
   */
  public Optional<Problem> problem() {
    Optional<Problem> stall = first(STALLED, stalled);
    return stall.isPresent() ? stall : first(RESTARTING, restarting);
  }

  /**
   * @param state {@link #STALLED} or {@link #RESTARTING}
   * @param reason the first report, in words, and how many more there are
   */
  public record Problem(String state, String reason) {}

  private static Optional<Problem> first(String state, Map<String, String> reports) {
    // Sorted, so that the same reports always read the same.
    TreeMap<String, String> sorted = new TreeMap<>(reports);
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    String reason = sorted.firstEntry().getValue();
    int more = sorted.size() - 1;
    return Optional.of(new Problem(state, more == 0 ? reason : reason + " (and " + more + " more)"));
  }
}
