package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonParser;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.load.MeshLoader;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The examples' mesh rendered for Kubernetes: as the golden files say, every document a valid object of its
 * kind by the Kubernetes API models or KEDA's CRDs, and every pod as locked down as the README promises.
 */
class KubernetesManifestsTest {

  private static final Path EXAMPLES = Path.of("../examples/mesh.yaml");
  private static final Path CONTAINERS = Path.of("../examples/containers.yaml");
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  /** {@code -Dfnmesh.golden.update=true} writes the golden files anew from the output. */
  private static final boolean UPDATE = Boolean.getBoolean("fnmesh.golden.update");

  private static final RenderSettings KEDA = new RenderSettings(Optional.of("fnmesh"), "localhost/fnmesh:0.1.0-SNAPSHOT",
      "kafka.kafka.svc:9092", Optional.of("fnmesh-kafka-client"), RenderSettings.Scaler.KEDA, Optional.of("/opt/fnmesh/examples"),
      Optional.of(RenderSettings.DEFAULT_ACCESS_SECRET), RenderSettings.DEFAULT_CLUSTER_KEY_SECRET);
  private static final RenderSettings CONTROLLER = new RenderSettings(Optional.empty(), "localhost/fnmesh:0.1.0-SNAPSHOT",
      "kafka:9092", Optional.empty(), RenderSettings.Scaler.FNMESH, Optional.empty(),
      Optional.of(RenderSettings.DEFAULT_ACCESS_SECRET), RenderSettings.DEFAULT_CLUSTER_KEY_SECRET);

  private static List<ObjectNode> render(RenderSettings settings) throws IOException {
    return render(EXAMPLES, settings);
  }

  private static List<ObjectNode> render(Path file, RenderSettings settings) throws IOException {
    String text = Files.readString(file);
    MeshConfig mesh = new MeshLoader().parse(text, file.toString());
    return KubernetesManifests.render(mesh, text, settings);
  }

  @Test
  void rendersTheExamplesMeshAsTheGoldenFilesSay() throws IOException {
    golden("examples-keda.yaml", KubernetesManifests.yaml(render(KEDA)));
    golden("examples-fnmesh-scaler.yaml", KubernetesManifests.yaml(render(CONTROLLER)));
    golden("containers-keda.yaml", KubernetesManifests.yaml(render(CONTAINERS, KEDA)));
    golden("containers-fnmesh-scaler.yaml", KubernetesManifests.yaml(render(CONTAINERS, CONTROLLER)));
  }

  @Test
  void anImageFunctionRunsLockedDownBehindItsOwnServiceThatEveryHostButTheControllerIsToldOf() throws IOException {
    for (RenderSettings settings : List.of(KEDA, CONTROLLER)) {
      List<ObjectNode> objects = render(CONTAINERS, settings);
      JsonNode pod = find(objects, "Deployment", "fnmesh-fn-shout").at("/spec/template/spec");
      JsonNode function = pod.at("/containers/0");
      assertEquals("localhost/fnmesh-shout:1", function.get("image").asText());
      assertEquals(65534, pod.at("/securityContext/runAsUser").asInt());
      assertTrue(function.at("/securityContext/readOnlyRootFilesystem").asBoolean());
      assertFalse(function.at("/securityContext/allowPrivilegeEscalation").asBoolean());
      assertEquals("ALL", function.at("/securityContext/capabilities/drop/0").asText());
      assertEquals("128Mi", function.at("/resources/limits/memory").asText());
      assertEquals(8000, find(objects, "Service", "fnmesh-fn-shout").at("/spec/ports/0/port").asInt());
      assertEquals("function", find(objects, "NetworkPolicy", "fnmesh-fn-shout")
          .at("/spec/ingress/0/from/0/podSelector/matchExpressions/0/values/0").asText());
      for (ObjectNode object : objects) {
        if (object.get("kind").asText().equals("Deployment") && object.at("/metadata/name").asText().startsWith("fnmesh-")
            && !object.at("/metadata/name").asText().startsWith("fnmesh-fn-")) {
          List<String> told = new ArrayList<>();
          object.at("/spec/template/spec/containers/0/env").forEach(env -> {
            if (env.get("name").asText().equals("FNMESH_FUNCTION_URL")) {
              told.add(env.get("value").asText());
            }
          });
          boolean controller = object.at("/metadata/name").asText().equals("fnmesh-controller");
          assertEquals(controller ? List.of() : List.of("shout=http://fnmesh-fn-shout:8000"), told,
              object.at("/metadata/name").asText());
        }
      }
    }
  }

  private static void golden(String name, String rendered) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, rendered);
    }
    assertEquals(Files.readString(file), rendered, "rendered output differs from " + file
        + " (run with -Dfnmesh.golden.update=true to accept it)");
  }

  @Test
  void everyDocumentIsAValidObjectOfItsKind() throws IOException {
    // Checked as a user's kubectl reads them: the YAML text, parsed again.
    List<ObjectNode> all = new ArrayList<>(parsed(KubernetesManifests.yaml(render(KEDA))));
    all.addAll(parsed(KubernetesManifests.yaml(render(CONTROLLER))));
    all.addAll(parsed(KubernetesManifests.yaml(render(CONTAINERS, KEDA))));
    all.addAll(parsed(KubernetesManifests.yaml(render(CONTAINERS, CONTROLLER))));
    assertEquals(render(KEDA).size() + render(CONTROLLER).size() + render(CONTAINERS, KEDA).size()
        + render(CONTAINERS, CONTROLLER).size(), all.size());
    Map<String, Schema> crds = Map.of(
        "ScaledObject", crdSchema("keda/keda.sh_scaledobjects.yaml"),
        "TriggerAuthentication", crdSchema("keda/keda.sh_triggerauthentications.yaml"));
    for (ObjectNode object : all) {
      String kind = object.get("kind").asText();
      String where = kind + " " + object.at("/metadata/name").asText();
      ModelCheck validator = switch (kind) {
        case "Deployment" -> V1Deployment::validateJsonElement;
        case "Service" -> V1Service::validateJsonElement;
        case "ConfigMap" -> V1ConfigMap::validateJsonElement;
        case "HorizontalPodAutoscaler" -> V2HorizontalPodAutoscaler::validateJsonElement;
        case "PodDisruptionBudget" -> V1PodDisruptionBudget::validateJsonElement;
        case "NetworkPolicy" -> V1NetworkPolicy::validateJsonElement;
        default -> null;
      };
      if (validator != null) {
        try {
          validator.accept(JsonParser.parseString(object.toString()));
        } catch (IllegalArgumentException invalid) {
          fail(where + " is not a valid " + kind + ": " + invalid.getMessage());
        }
      } else if (crds.containsKey(kind)) {
        List<Error> errors = crds.get(kind).validate(object);
        assertTrue(errors.isEmpty(), where + ": " + errors);
        List<String> unknown = new ArrayList<>();
        unknownFields(object, crdRoot(kind), "", unknown);
        assertTrue(unknown.isEmpty(), where + " has fields its CRD does not know: " + unknown);
      } else {
        fail("no check for the kind of " + where);
      }
    }
  }

  @Test
  void everyPodRunsAsNoOneWithNothingWritableButItsDataAndNoSecretOutsideSecrets() throws IOException {
    for (ObjectNode object : render(KEDA)) {
      if (!object.get("kind").asText().equals("Deployment")) {
        continue;
      }
      String name = object.at("/metadata/name").asText();
      JsonNode pod = object.at("/spec/template/spec");
      assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), name);
      assertFalse(pod.get("automountServiceAccountToken").asBoolean(), name);
      for (JsonNode container : pod.get("containers")) {
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean(), name);
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(), name);
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText(), name);
        assertEquals("/readyz", container.at("/readinessProbe/httpGet/path").asText(), name);
        assertEquals("/livez", container.at("/livenessProbe/httpGet/path").asText(), name);
        assertTrue(container.at("/resources/limits/memory").isTextual(), name);
        for (JsonNode env : container.get("env")) {
          // Secrets are files mounted from Secrets: the environment only names where they are.
          assertFalse(env.has("valueFrom"), name + " takes " + env + " from elsewhere than its value");
          if (env.get("name").asText().matches("FNMESH_(CLUSTER_KEY_FILE|ACCESS|KAFKA_CONFIG)")) {
            assertTrue(env.get("value").asText().startsWith("/var/run/secrets/fnmesh/"), env.toString());
          }
        }
      }
    }
  }

  @Test
  void eachKafkaTriggerScalesByItsConsumerGroupWithinItsScaleAndPartitions() throws IOException {
    List<ObjectNode> objects = render(KEDA);
    ObjectNode greet = find(objects, "ScaledObject", "fnmesh-trigger-greet");
    assertEquals("fnmesh.greet", greet.at("/spec/triggers/0/metadata/consumerGroup").asText());
    assertEquals("greetings", greet.at("/spec/triggers/0/metadata/topic").asText());
    assertEquals(0, greet.at("/spec/minReplicaCount").asInt(), "idle triggers run no pod");
    assertEquals(8, greet.at("/spec/maxReplicaCount").asInt(), "the default max is the partitions");
    assertEquals("fnmesh-kafka", greet.at("/spec/triggers/0/authenticationRef/name").asText());
    ObjectNode deployment = find(objects, "Deployment", "fnmesh-trigger-greet");
    assertEquals(List.of("up", "--config", "/etc/fnmesh/mesh/mesh.yaml", "--mesh-dir", "/opt/fnmesh/examples",
            "--triggers", "greet", "--replicas", "1"),
        strings(deployment.at("/spec/template/spec/containers/0/args")));
    ObjectNode cron = find(objects, "Deployment", "fnmesh-cron");
    assertEquals("heartbeat", cron.at("/spec/template/spec/containers/0/args/6").asText());
    assertTrue(objects.stream().noneMatch(o -> o.at("/metadata/name").asText().equals("fnmesh-trigger-heartbeat")),
        "a cron trigger runs in the cron pods, not in a Deployment of its own");
    assertEquals(List.of("up", "--config", "/etc/fnmesh/mesh/mesh.yaml", "--mesh-dir", "/opt/fnmesh/examples",
            "--triggers", "none"),
        strings(find(objects, "Deployment", "fnmesh-ingress").at("/spec/template/spec/containers/0/args")));
  }

  private static List<ObjectNode> parsed(String yaml) throws IOException {
    List<ObjectNode> documents = new ArrayList<>();
    new YAMLMapper().readValues(new YAMLMapper().getFactory().createParser(yaml), ObjectNode.class)
        .forEachRemaining(documents::add);
    return documents;
  }

  /** The models' own check: unknown fields, missing required ones and wrong types, as an IllegalArgumentException. */
  private interface ModelCheck {
    void accept(com.google.gson.JsonElement json) throws IOException;
  }

  private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.get("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  // KEDA's CRDs: the openAPIV3Schema of their first version, its Kubernetes extensions known as annotations.

  private static final Dialect CRD_DIALECT = Dialect.builder(Dialects.getDraft4())
      .keyword(new AnnotationKeyword("x-kubernetes-preserve-unknown-fields"))
      .keyword(new AnnotationKeyword("x-kubernetes-int-or-string"))
      .keyword(new AnnotationKeyword("x-kubernetes-list-type"))
      .keyword(new AnnotationKeyword("x-kubernetes-list-map-keys"))
      .keyword(new AnnotationKeyword("x-kubernetes-map-type"))
      .keyword(new AnnotationKeyword("x-kubernetes-validations"))
      .keyword(new AnnotationKeyword("x-kubernetes-embedded-resource"))
      .build();

  private static JsonNode crdRoot(String kind) throws IOException {
    String file = kind.equals("ScaledObject") ? "keda/keda.sh_scaledobjects.yaml" : "keda/keda.sh_triggerauthentications.yaml";
    try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(file)) {
      return new YAMLMapper().readTree(in).at("/spec/versions/0/schema/openAPIV3Schema");
    }
  }

  private static Schema crdSchema(String file) throws IOException {
    try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(file)) {
      JsonNode schema = new YAMLMapper().readTree(in).at("/spec/versions/0/schema/openAPIV3Schema");
      return SchemaRegistry.withDefaultDialect(CRD_DIALECT).getSchema(new ObjectMapper().valueToTree(schema));
    }
  }

  /** Fields the API server would prune: named nowhere in the schema's properties. */
  private static void unknownFields(JsonNode value, JsonNode schema, String path, List<String> unknown) {
    if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.get("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String at = path + "/" + field.getKey();
        if (properties != null && properties.has(field.getKey())) {
          unknownFields(field.getValue(), properties.get(field.getKey()), at, unknown);
        } else if (additional != null && additional.isObject()) {
          unknownFields(field.getValue(), additional, at, unknown);
        } else if (properties != null && !path.isEmpty() || properties != null && !field.getKey().matches("apiVersion|kind|metadata")) {
          unknown.add(at);
        }
      }
    } else if (value.isArray()) {
      value.forEach(item -> unknownFields(item, schema.get("items"), path + "[]", unknown));
    }
  }
}
