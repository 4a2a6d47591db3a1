package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.ScaleSpec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides one trigger's replicas from its lag reports one after the other, keeping the history the
 * {@link ScalingRule} needs. Not thread-safe: use it from the one context that polls the trigger's lag.
 * New settings take a new scaler.
 */
public final class Scaler {

  private final ScaleSpec settings;
  private final boolean ordered;
  private ScaleHistory history;

  /** @param ordered whether the trigger delivers in order, as for {@link ScalingRule#recommend} */
  public Scaler(ScaleSpec settings, boolean ordered) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ordered = ordered;
  }

  /**
   * Remembers the report and decides.
   *
   * @param current the replicas running now
   * @param now the decision's instant, not before that of the previous decision
   */
  public Decision decide(int current, LagReport report, Instant now) {
    if (history == null) {
      history = ScaleHistory.startingAt(now, current);
    }
    history = history.observe(now, ScalingRule.recommend(settings, ordered, report), ScalingRule.idle(settings, report),
        settings.cooldown());
    return ScalingRule.decide(settings, ordered, current, report, history, now);
  }

  public ScaleSpec settings() {
    return settings;
  }

  /** What it remembers; empty recommendations before the first decision. */
  public ScaleHistory history() {
    return history == null ? new ScaleHistory(List.of(), Optional.empty()) : history;
  }
}
