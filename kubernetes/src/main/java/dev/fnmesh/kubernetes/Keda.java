package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

import static dev.fnmesh.kubernetes.KubeObjects.labels;
import static dev.fnmesh.kubernetes.KubeObjects.object;

/** KEDA's objects: a trigger's {@code scale:} as a ScaledObject, and the Kafka credentials its scaler uses. */
final class Keda {

  private static final String API = "keda.sh/v1alpha1";

  private Keda() {}

  /** The trigger's scaling as KEDA's Kafka scaler does it, following the trigger's consumer group. */
  static ObjectNode scaledObject(String deployment, RenderSettings settings, Map<String, String> labels,
      KedaTrigger trigger) {
    ObjectNode scaled = object(API, "ScaledObject", deployment, settings.namespace(), labels);
    ObjectNode spec = scaled.putObject("spec");
    spec.putObject("scaleTargetRef").put("name", deployment);
    spec.put("minReplicaCount", trigger.minReplicaCount());
    spec.put("maxReplicaCount", trigger.maxReplicaCount());
    spec.put("pollingInterval", trigger.pollingInterval());
    spec.put("cooldownPeriod", trigger.cooldownPeriod());
    ArrayNode triggers = spec.putArray("triggers");
    ObjectNode kafka = triggers.addObject().put("type", "kafka");
    kafka.putObject("metadata")
        .put("bootstrapServers", settings.kafkaBootstrap())
        .put("consumerGroup", trigger.consumerGroup())
        .put("topic", trigger.topic())
        .put("lagThreshold", String.valueOf(trigger.lagThreshold()))
        .put("activationLagThreshold", String.valueOf(trigger.activationLagThreshold()))
        .put("offsetResetPolicy", trigger.offsetResetPolicy());
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
}
