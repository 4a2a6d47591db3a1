package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.ScaleSpec;

import java.time.Duration;
import java.time.Instant;

/**
 * How many replicas a trigger should run for its lag, KEDA's Kafka scaler semantics as pure functions: the
 * lag asks for {@code ceil(totalLag / lagThreshold)} replicas within min and max; scaling up is immediate,
 * scaling down follows the highest recommendation of the last cooldown (the Kubernetes HPA's scale-down
 * stabilisation), and only a trigger idle for a whole cooldown scales to zero. Reads no clock.
 */
public final class ScalingRule {

  private ScalingRule() {
  }

  /**
   * The replicas this report alone asks for: the lag divided by the threshold, rounded up, within min and
   * max; with ordered delivery at most one per partition with lag, yet never below min.
   *
   * @param ordered whether the trigger delivers in order: then a partition is worked by one replica at a
   *     time, so more replicas than partitions with lag do nothing
   */
  public static int recommend(ScaleSpec settings, boolean ordered, LagReport report) {
    return sizing(settings, ordered, report).replicas();
  }

  /** Whether the lag is at or below the activation threshold: too little to wake a trigger at zero. */
  public static boolean idle(ScaleSpec settings, LagReport report) {
    return report.totalLag() <= settings.activationLagThreshold();
  }

  /**
   * Decides the replicas of a trigger running {@code current} replicas.
   *
   * @param ordered whether the trigger delivers in order, as for {@link #recommend}
   * @param history the history including this report, as {@link ScaleHistory#observe} left it
   * @param now the decision's instant, the same as given to {@code observe}
   * @throws IllegalArgumentException when {@code current} is negative
   */
  public static Decision decide(ScaleSpec settings, boolean ordered, int current, LagReport report, ScaleHistory history,
      Instant now) {
    if (current < 0) {
      throw new IllegalArgumentException("current replicas must be 0 or more, got " + current);
    }
    Sizing sizing = sizing(settings, ordered, report);
    int recommended = sizing.replicas();
    String inputs = "lag " + report.totalLag() + " over " + report.partitions().size() + " partitions ("
        + report.partitionsWithLag() + " with lag), threshold " + settings.lagThreshold() + " → " + sizing.demand()
        + sizing.note();
    int desired;
    String step;
    boolean idle = idle(settings, report);
    if (current == 0 && settings.min() == 0) {
      desired = idle ? 0 : Math.max(1, recommended);
      step = idle ? "staying at 0: lag not above activation threshold " + settings.activationLagThreshold()
          : "waking from 0 to " + desired + ": lag above activation threshold " + settings.activationLagThreshold();
    } else if (settings.min() == 0 && idle && history.idleFor(now).compareTo(settings.cooldown()) >= 0) {
      desired = 0;
      step = "scaling to zero from " + current + ": lag not above " + settings.activationLagThreshold() + " for "
          + seconds(history.idleFor(now));
    } else {
      // While awake, at least one replica: only a whole idle cooldown takes a trigger to zero.
      int wanted = Math.max(1, recommended);
      if (wanted >= current) {
        desired = wanted;
      } else {
        int stabilized = Math.min(settings.max(), Math.max(wanted, history.highest()));
        desired = Math.min(current, stabilized);
      }
      step = step(settings, current, desired, wanted, history.highest())
          + idleNote(settings, current, desired, idle, history.idleFor(now));
    }
    return new Decision(desired, inputs + "; " + step, current, recommended, report.totalLag(),
        report.partitions().size(), report.partitionsWithLag(), now);
  }

  private static String step(ScaleSpec settings, int current, int desired, int wanted, int highest) {
    String window = "highest in the last " + seconds(settings.cooldown()) + ": " + highest;
    if (desired > current) {
      return "scaling up from " + current;
    }
    if (desired < current) {
      return "scaling down from " + current + (desired > wanted ? " (" + window + ")" : "");
    }
    return "holding " + current + (desired > wanted ? " (" + window + ")" : "");
  }

  private static String idleNote(ScaleSpec settings, int current, int desired, boolean idle, Duration idleFor) {
    if (settings.min() > 0 || !idle || desired != 1 || current < 1) {
      return "";
    }
    return "; idle for " + seconds(idleFor) + " of " + seconds(settings.cooldown()) + " before zero";
  }

  /** The demand as the lag asks for it, and the replicas after min, max and the ordered cap. */
  private record Sizing(long demand, int replicas, String note) {
  }

  private static Sizing sizing(ScaleSpec settings, boolean ordered, LagReport report) {
    long lag = report.totalLag();
    long demand = lag / settings.lagThreshold() + (lag % settings.lagThreshold() == 0 ? 0 : 1);
    int replicas = (int) Math.min(demand, settings.max());
    String note = demand > settings.max() ? " capped to max " + settings.max() : "";
    if (ordered && replicas > report.partitionsWithLag()) {
      // Ordered delivery works a partition with one replica at a time: more replicas would stand idle.
      replicas = report.partitionsWithLag();
      note = " capped to " + replicas + " by the partitions with lag (ordered delivery)";
    }
    if (replicas < settings.min()) {
      replicas = settings.min();
      note = note + " raised to min " + settings.min();
    }
    return new Sizing(demand, replicas, note);
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }
}
