package dev.fnmesh.host.runtime;

import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.mesh.SequenceStep;

import java.util.List;
import java.util.Optional;

/**
 * What a trigger is doing, for {@code GET /api/triggers}.
 *
 * @param name the trigger's name
 * @param kind where its events come from: {@code kafka}, {@code webhook} or {@code cron}
 * @param topic the topic it consumes
 * @param function the function it invokes
 * @param replyTopics the topics its replies may go to, none when they are dropped
 * @param state {@code starting}, {@code running}, {@code failed}, {@code stalled} (a partition stopped on a
 *     reply or dead letter Kafka refuses, retried with backoff) or {@code restarting} (a replica's consumer
 *     died and is being replaced)
 * @param error why it failed, stalled or restarts, when it does
 * @param replicas how many replicas run in this process
 * @param stats what its replicas did with its events so far
 * @param scaling what its scaler last measured and decided
 * @param warnings what works but not as asked, such as a topic with fewer replicas than fnmesh creates topics with
 * @param step where it stands in a sequence of {@code steps:}, empty for a trigger of one function
 */
public record TriggerStatus(String name, String kind, String topic, String function, List<String> replyTopics,
    String state, Optional<String> error, int replicas, TriggerStats.Snapshot stats, ScalingStatus scaling,
    List<String> warnings, Optional<SequenceStep> step) {

  public TriggerStatus {
    replyTopics = List.copyOf(replyTopics);
    warnings = List.copyOf(warnings);
  }

  /** A trigger nothing is to be said about beyond its state. */
  public TriggerStatus(String name, String kind, String topic, String function, List<String> replyTopics,
      String state, Optional<String> error, int replicas, TriggerStats.Snapshot stats, ScalingStatus scaling) {
    this(name, kind, topic, function, replyTopics, state, error, replicas, stats, scaling, List.of(), Optional.empty());
  }

  public long lag() {
    return scaling.lag();
  }

  /** Whether a partition of the trigger stopped on a write Kafka refuses. */
  public boolean stalled() {
    return state.equals(TriggerHealth.STALLED);
  }

  public int desiredReplicas() {
    return scaling.desiredReplicas();
  }

  public TriggerStatus withScaling(ScalingStatus newScaling) {
    return new TriggerStatus(name, kind, topic, function, replyTopics, state, error, replicas, stats, newScaling,
        warnings, step);
  }
}
