package dev.fnmesh.kubernetes;

import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TriggerSpec;

import java.time.Duration;

/**
 * A trigger's {@code scale:} as KEDA's Kafka scaler takes it, worked out once for the manifests and for the
 * Helm chart's values: max capped at the partitions (replicas beyond them would idle), the poll interval in
 * whole seconds (at least one), the cooldown in seconds, and where a new group starts.
 *
 * @param name the trigger's name
 * @param consumerGroup the trigger's consumer group, {@code fnmesh.<name>}
 * @param offsetResetPolicy {@code earliest} or {@code latest}, from the trigger's {@code startFrom}
 */
public record KedaTrigger(String name, String topic, String consumerGroup, int minReplicaCount, int maxReplicaCount,
    long lagThreshold, long activationLagThreshold, long pollingInterval, long cooldownPeriod,
    String offsetResetPolicy) {

  static KedaTrigger of(TriggerSpec trigger) {
    ScaleSpec scale = trigger.scale();
    StartFrom startFrom = trigger.source() instanceof KafkaSource kafka ? kafka.startFrom() : KafkaSource.DEFAULT_START_FROM;
    return new KedaTrigger(trigger.name(), trigger.topic(), "fnmesh." + trigger.name(), scale.min(),
        Math.min(scale.max(), trigger.partitions()), scale.lagThreshold(), scale.activationLagThreshold(),
        seconds(scale.pollInterval(), 1), seconds(scale.cooldown(), 0),
        startFrom.resetPolicy());
  }

  private static long seconds(Duration duration, long atLeast) {
    long whole = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    return Math.max(atLeast, whole);
  }
}
