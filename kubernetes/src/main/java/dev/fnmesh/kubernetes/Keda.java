package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TriggerSpec;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.fnmesh.kubernetes.KubeObjects.labels;
import static dev.fnmesh.kubernetes.KubeObjects.object;

/** KEDA's objects: a trigger's {@code scale:} as a ScaledObject, and the Kafka credentials its scaler uses. */
final class Keda {

  private static final String API = "keda.sh/v1alpha1";

  private Keda() {}

  /**
   * The trigger's scaling as KEDA's Kafka scaler does it: min and max replicas (max capped at the partitions,
   * as replicas beyond them would idle), the lag per replica and the lag that wakes it from zero, the poll
   * interval in whole seconds (at least one) and the cooldown.
   */
  static ObjectNode scaledObject(String deployment, RenderSettings settings, Map<String, String> labels,
      TriggerSpec trigger, StartFrom startFrom) {
    ScaleSpec scale = trigger.scale();
    ObjectNode scaled = object(API, "ScaledObject", deployment, settings.namespace(), labels);
    ObjectNode spec = scaled.putObject("spec");
    spec.putObject("scaleTargetRef").put("name", deployment);
    spec.put("minReplicaCount", scale.min());
    spec.put("maxReplicaCount", Math.min(scale.max(), trigger.partitions()));
    spec.put("pollingInterval", seconds(scale.pollInterval(), 1));
    spec.put("cooldownPeriod", seconds(scale.cooldown(), 0));
    ArrayNode triggers = spec.putArray("triggers");
    ObjectNode kafka = triggers.addObject().put("type", "kafka");
    kafka.putObject("metadata")
        .put("bootstrapServers", settings.kafkaBootstrap())
        .put("consumerGroup", "fnmesh." + trigger.name())
        .put("topic", trigger.topic())
        .put("lagThreshold", String.valueOf(scale.lagThreshold()))
        .put("activationLagThreshold", String.valueOf(scale.activationLagThreshold()))
        .put("offsetResetPolicy", startFrom == StartFrom.LATEST ? "latest" : "earliest");
    settings.kafkaConfigSecret().ifPresent(secret ->
        kafka.putObject("authenticationRef").put("name", KubernetesManifests.KAFKA_AUTHENTICATION));
    return scaled;
  }

  /** KEDA reads the Kafka credentials from the same Secret as fnmesh, from the keys its scaler knows. */
  static ObjectNode authentication(RenderSettings settings, String secret) {
    ObjectNode auth = object(API, "TriggerAuthentication", KubernetesManifests.KAFKA_AUTHENTICATION,
        settings.namespace(), labels("kafka", Optional.empty()));
    ArrayNode refs = auth.putObject("spec").putArray("secretTargetRef");
    for (String parameter : KubernetesManifests.KEDA_KAFKA_PARAMETERS) {
      refs.addObject().put("parameter", parameter).put("name", secret).put("key", parameter);
    }
    return auth;
  }

  private static long seconds(Duration duration, long atLeast) {
    long whole = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    return Math.max(atLeast, whole);
  }
}
