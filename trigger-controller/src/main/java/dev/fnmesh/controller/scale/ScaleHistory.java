package dev.fnmesh.controller.scale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scaling rule remembers of earlier lag reports: the recommendations of the stabilisation window
 * and since when the trigger has been idle without a break.
 *
 * @param recent the recommendations still inside the window, oldest first
 * @param idleSince when the current unbroken run of idle reports began; empty while the trigger is busy
 */
public record ScaleHistory(List<Recommendation> recent, Optional<Instant> idleSince) {

  /** The replicas one lag report asked for. */
  public record Recommendation(Instant at, int replicas) {

    public Recommendation {
      Objects.requireNonNull(at, "at");
    }
  }

  public ScaleHistory {
    recent = List.copyOf(recent);
    Objects.requireNonNull(idleSince, "idleSince");
  }

  /**
   * The history of a trigger first seen at {@code now} with {@code current} replicas. Like the Kubernetes
   * HPA, the running replicas count as a recommendation, so a restarted controller does not scale down
   * before it has watched the lag for a whole window.
   */
  public static ScaleHistory startingAt(Instant now, int current) {
    return new ScaleHistory(List.of(new Recommendation(now, current)), Optional.empty());
  }

  /**
   * Adds one report's recommendation and forgets those at least {@code window} old.
   *
   * @param idle whether this report's lag is at or below the activation threshold
   */
  public ScaleHistory observe(Instant now, int recommended, boolean idle, Duration window) {
    Instant cutoff = now.minus(window);
    List<Recommendation> kept = new ArrayList<>();
    for (Recommendation recommendation : recent) {
      if (recommendation.at().isAfter(cutoff)) {
        kept.add(recommendation);
      }
    }
    kept.add(new Recommendation(now, recommended));
    Optional<Instant> idleStart = idle ? Optional.of(idleSince.orElse(now)) : Optional.empty();
    return new ScaleHistory(kept, idleStart);
  }

  /** The highest recommendation remembered; 0 when there is none. */
  public int highest() {
    return recent.stream().mapToInt(Recommendation::replicas).max().orElse(0);
  }

  /** How long the trigger has been idle without a break at {@code now}; zero while it is busy. */
  public Duration idleFor(Instant now) {
    return idleSince.map(since -> Duration.between(since, now)).orElse(Duration.ZERO);
  }
}
