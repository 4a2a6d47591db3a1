package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.TriggerSpec;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.fnmesh.kubernetes.KubeObjects.labels;
import static dev.fnmesh.kubernetes.KubeObjects.map;
import static dev.fnmesh.kubernetes.KubeObjects.object;
import static dev.fnmesh.kubernetes.KubeObjects.selector;

/**
 * A mesh as Kubernetes objects, from the same loaded {@link MeshConfig} every fnmesh process runs.
 *
 * <p>With KEDA: the mesh as a ConfigMap; an ingress Deployment ({@code up --triggers none}) behind a Service
 * with a CPU autoscaler; per Kafka or webhook trigger a Deployment running that trigger alone
 * ({@code up --triggers NAME --replicas 1}) and a ScaledObject whose Kafka scaler follows the trigger's consumer
 * group; the cron triggers in one Deployment of two pods that elect who ticks. With fnmesh's own scaler: the
 * controller and a Deployment of hosts on which it places replicas. Each image function runs in a Deployment and
 * behind a Service of its own ({@link FunctionServices}), where every fnmesh pod is told to reach it.
 */
public final class KubernetesManifests {

  static final String MESH_CONFIG_MAP = "fnmesh-mesh";
  static final String KAFKA_AUTHENTICATION = "fnmesh-kafka";
  /** The Secret keys KEDA's Kafka scaler reads for TLS and SASL. */
  static final List<String> KEDA_KAFKA_PARAMETERS = List.of("sasl", "username", "password", "tls", "ca", "cert", "key");
  static final String MESH_FILE = "mesh.yaml";

  private KubernetesManifests() {}

  /**
   * @param mesh the loaded mesh
   * @param meshText the mesh file as written, which the ConfigMap holds
   */
  public static List<ObjectNode> render(MeshConfig mesh, String meshText, RenderSettings settings) {
    List<ObjectNode> objects = new ArrayList<>();
    String hash = sha256(meshText);
    List<String> meshFile = new ArrayList<>(List.of("--config", RenderSettings.MESH_MOUNT + "/" + MESH_FILE));
    settings.meshDir().ifPresent(dir -> meshFile.addAll(List.of("--mesh-dir", dir)));
    ObjectNode configMap = object("v1", "ConfigMap", MESH_CONFIG_MAP, settings.namespace(), labels("mesh", Optional.empty()));
    configMap.set("data", map(Map.of(MESH_FILE, meshText)));
    objects.add(configMap);
    Optional<String> functionUrls = FunctionServices.urls(mesh);
    if (settings.scaler() == RenderSettings.Scaler.KEDA) {
      renderWithKeda(mesh, settings, hash, meshFile, functionUrls, objects);
    } else {
      renderWithController(settings, hash, functionUrls, objects);
    }
    objects.addAll(FunctionServices.render(mesh, settings.namespace()));
    return objects;
  }

  private static void renderWithKeda(MeshConfig mesh, RenderSettings settings, String hash, List<String> meshFile,
      Optional<String> functionUrls, List<ObjectNode> objects) {
    Map<String, String> ingress = labels("ingress", Optional.empty());
    objects.add(deployment("fnmesh-ingress", settings, ingress, 2,
        args("up", meshFile, "--triggers", "none"), Pods.HTTP_PORT, hash, functionUrls));
    objects.add(service("fnmesh-ingress", settings, ingress, Pods.HTTP_PORT));
    objects.add(cpuAutoscaler("fnmesh-ingress", settings, ingress, 2, 10));
    objects.add(disruptionBudget("fnmesh-ingress", settings, ingress, true));
    settings.kafkaConfigSecret().ifPresent(secret -> objects.add(Keda.authentication(settings, secret)));
    List<String> crons = new ArrayList<>();
    for (TriggerSpec trigger : mesh.triggers().values()) {
      if (trigger.source() instanceof CronSource) {
        crons.add(trigger.name());
        continue;
      }
      String name = "fnmesh-trigger-" + trigger.name();
      Map<String, String> labels = labels("trigger", Optional.of(trigger.name()));
      ScaleSpec scale = trigger.scale();
      objects.add(deployment(name, settings, labels, scale.min(),
          args("up", meshFile, "--triggers", trigger.name(), "--replicas", "1"), Pods.HTTP_PORT, hash, functionUrls));
      objects.add(Keda.scaledObject(name, settings, labels, KedaTrigger.of(trigger)));
      objects.add(disruptionBudget(name, settings, labels, false));
    }
    if (!crons.isEmpty()) {
      // Two pods: each schedule ticks once per instant, on the pod elected leader, and survives losing one.
      Map<String, String> labels = labels("cron", Optional.empty());
      objects.add(deployment("fnmesh-cron", settings, labels, 2,
          args("up", meshFile, "--triggers", String.join(",", crons), "--replicas", "1"),
          Pods.HTTP_PORT, hash, functionUrls));
      objects.add(disruptionBudget("fnmesh-cron", settings, labels, true));
    }
  }

  private static void renderWithController(RenderSettings settings, String hash, Optional<String> functionUrls,
      List<ObjectNode> objects) {
    Map<String, String> controller = labels("controller", Optional.empty());
    ObjectNode deployment = deployment("fnmesh-controller", settings, controller, 1,
        List.of("controller", "--config", RenderSettings.MESH_MOUNT + "/" + MESH_FILE, "--http-port",
            String.valueOf(Pods.CONTROLLER_PORT)),
        Pods.CONTROLLER_PORT, hash, Optional.empty());
    // One controller at a time: the new one starts once the old one is gone.
    ((ObjectNode) deployment.get("spec")).putObject("strategy").put("type", "Recreate");
    objects.add(deployment);
    objects.add(service("fnmesh-controller", settings, controller, Pods.CONTROLLER_PORT));
    Map<String, String> hosts = labels("host", Optional.empty());
    objects.add(deployment("fnmesh-hosts", settings, hosts, 2, List.of("host", "--mesh-dir", settings.meshDir().orElse(RenderSettings.MESH_MOUNT)),
        Pods.HTTP_PORT, hash, functionUrls));
    objects.add(service("fnmesh-ingress", settings, hosts, Pods.HTTP_PORT));
    objects.add(cpuAutoscaler("fnmesh-hosts", settings, hosts, 2, 10));
    objects.add(disruptionBudget("fnmesh-hosts", settings, hosts, true));
  }

  private static List<String> args(String command, List<String> meshFile, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(meshFile);
    args.addAll(List.of(more));
    return args;
  }

  private static ObjectNode deployment(String name, RenderSettings settings, Map<String, String> labels, int replicas,
      List<String> args, int port, String hash, Optional<String> functionUrls) {
    ObjectNode deployment = object("apps/v1", "Deployment", name, settings.namespace(), labels);
    ObjectNode spec = deployment.putObject("spec").put("replicas", replicas);
    spec.set("selector", selector(labels));
    spec.set("template", Pods.template(settings, labels, args, port, hash, functionUrls));
    return deployment;
  }

  private static ObjectNode service(String name, RenderSettings settings, Map<String, String> labels, int port) {
    ObjectNode service = object("v1", "Service", name, settings.namespace(), labels);
    ObjectNode spec = service.putObject("spec");
    spec.set("selector", map(labels));
    spec.putArray("ports").addObject().put("name", "http").put("port", port).put("targetPort", "http")
        .put("protocol", "TCP");
    return service;
  }

  private static ObjectNode cpuAutoscaler(String deployment, RenderSettings settings, Map<String, String> labels,
      int min, int max) {
    ObjectNode hpa = object("autoscaling/v2", "HorizontalPodAutoscaler", deployment, settings.namespace(), labels);
    ObjectNode spec = hpa.putObject("spec");
    spec.putObject("scaleTargetRef").put("apiVersion", "apps/v1").put("kind", "Deployment").put("name", deployment);
    spec.put("minReplicas", min).put("maxReplicas", max);
    ArrayNode metrics = spec.putArray("metrics");
    ObjectNode resource = metrics.addObject().put("type", "Resource").putObject("resource").put("name", "cpu");
    resource.putObject("target").put("type", "Utilization").put("averageUtilization", 70);
    return hpa;
  }

  /** @param keepOne at least one pod stays up (the ingress, cron); otherwise at most one is taken at a time */
  private static ObjectNode disruptionBudget(String name, RenderSettings settings, Map<String, String> labels,
      boolean keepOne) {
    ObjectNode pdb = object("policy/v1", "PodDisruptionBudget", name, settings.namespace(), labels);
    ObjectNode spec = pdb.putObject("spec");
    if (keepOne) {
      spec.put("minAvailable", 1);
    } else {
      spec.put("maxUnavailable", 1);
    }
    spec.set("selector", selector(labels));
    return pdb;
  }

  /**
   * The values of the Helm chart {@code deploy/helm/fnmesh} that come from the mesh: its text, and what fnmesh's
   * loader read from it (each Kafka or webhook trigger's scaling as {@link KedaTrigger}, the cron triggers'
   * names, where its image functions run and their objects), so that the chart's templates only lay out what this
   * class renders and parse no mesh of their own.
   */
  public static ObjectNode helmValues(MeshConfig mesh, String meshText) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode values = json.createObjectNode().put("mesh", meshText);
    ArrayNode triggers = values.putArray("triggers");
    ArrayNode crons = values.putArray("crons");
    for (TriggerSpec trigger : mesh.triggers().values()) {
      if (trigger.source() instanceof CronSource) {
        crons.add(trigger.name());
      } else {
        triggers.add(json.valueToTree(KedaTrigger.of(trigger)));
      }
    }
    FunctionServices.urls(mesh).ifPresent(urls -> values.put("functionUrls", urls));
    ArrayNode functions = values.putArray("functionObjects");
    // Rendered here, namespaced by the chart: the chart lays them out as they are.
    FunctionServices.render(mesh, Optional.empty()).forEach(functions::add);
    return values;
  }

  /** One YAML document. */
  public static String yaml(ObjectNode document) {
    return yaml(List.of(document));
  }

  /** The objects as one YAML stream, a document each. */
  public static String yaml(List<ObjectNode> objects) {
    ObjectMapper yaml = new ObjectMapper(YAMLFactory.builder()
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        // A string such as KEDA's lagThreshold "100" stays a string, not the number 100.
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
        .disable(YAMLGenerator.Feature.SPLIT_LINES)
        .build());
    StringBuilder out = new StringBuilder();
    try {
      for (ObjectNode object : objects) {
        out.append(yaml.writeValueAsString(object));
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
