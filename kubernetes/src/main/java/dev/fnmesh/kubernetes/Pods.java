package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.fnmesh.kubernetes.KubeObjects.JSON;
import static dev.fnmesh.kubernetes.KubeObjects.map;
import static dev.fnmesh.kubernetes.KubeObjects.strings;

/**
 * The pod every fnmesh Deployment runs: one fnmesh container, not root, its root file system read-only,
 * no capability, probes on {@code /readyz} and {@code /livez}, and secrets only as files mounted from Secrets.
 */
final class Pods {

  static final int HTTP_PORT = 8080;
  static final int CONTROLLER_PORT = 8090;
  private static final long USER = 10001;
  private static final String SECRETS = "/var/run/secrets/fnmesh";
  private static final String DATA_DIR = "/var/lib/fnmesh";

  private Pods() {}

  /**
   * @param args the fnmesh command and its options
   * @param port the HTTP port it listens on
   * @param meshHash a digest of the mesh: a changed mesh changes the template, so the pods are replaced
   * @param functionUrls where the mesh's image functions run ({@code --function-url}), empty when it has none
   */
  static ObjectNode template(RenderSettings settings, Map<String, String> labels, List<String> args, int port,
      String meshHash, Optional<String> functionUrls) {
    ObjectNode template = JSON.objectNode();
    ObjectNode metadata = template.putObject("metadata");
    metadata.set("labels", map(labels));
    metadata.set("annotations", map(Map.of("fnmesh.dev/mesh-sha256", meshHash)));
    ObjectNode spec = template.putObject("spec");
    spec.put("automountServiceAccountToken", false);
    // A host drains its replicas and ends its function processes on SIGTERM before it exits.
    spec.put("terminationGracePeriodSeconds", 60);
    ObjectNode podSecurity = spec.putObject("securityContext")
        .put("runAsNonRoot", true).put("runAsUser", USER).put("runAsGroup", USER).put("fsGroup", USER);
    podSecurity.putObject("seccompProfile").put("type", "RuntimeDefault");
    spec.putArray("containers").add(container(settings, args, port, functionUrls));
    spec.set("volumes", volumes(settings));
    return template;
  }

  private static ObjectNode container(RenderSettings settings, List<String> args, int port,
      Optional<String> functionUrls) {
    ObjectNode container = JSON.objectNode().put("name", "fnmesh").put("image", settings.image());
    container.set("args", strings(args));
    ArrayNode env = container.putArray("env");
    env(env, "FNMESH_KAFKA", settings.kafkaBootstrap());
    env(env, "FNMESH_HTTP_HOST", "0.0.0.0");
    env(env, "FNMESH_DATA_DIR", DATA_DIR);
    env(env, "FNMESH_CLUSTER_KEY_FILE", SECRETS + "/cluster-key/cluster.key");
    settings.accessSecret().ifPresentOrElse(
        secret -> env(env, "FNMESH_ACCESS", SECRETS + "/access/access.yaml"),
        () -> env(env, "FNMESH_INSECURE", "true"));
    settings.kafkaConfigSecret().ifPresent(secret -> env(env, "FNMESH_KAFKA_CONFIG", SECRETS + "/kafka/client.properties"));
    functionUrls.ifPresent(urls -> env(env, "FNMESH_FUNCTION_URL", urls));
    container.putArray("ports").addObject().put("name", "http").put("containerPort", port).put("protocol", "TCP");
    container.set("startupProbe", probe("/livez", port, 2, 60));
    container.set("readinessProbe", probe("/readyz", port, 2, 2));
    container.set("livenessProbe", probe("/livez", port, 10, 3));
    ObjectNode resources = container.putObject("resources");
    resources.set("requests", map(Map.of("cpu", "100m", "memory", "384Mi")));
    resources.set("limits", map(Map.of("cpu", "1", "memory", "768Mi")));
    ObjectNode security = container.putObject("securityContext")
        .put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true).put("runAsNonRoot", true);
    security.putObject("capabilities").putArray("drop").add("ALL");
    ArrayNode mounts = container.putArray("volumeMounts");
    mount(mounts, "mesh", RenderSettings.MESH_MOUNT, true);
    mount(mounts, "data", DATA_DIR, false);
    mount(mounts, "tmp", "/tmp", false);
    mount(mounts, "cluster-key", SECRETS + "/cluster-key", true);
    settings.accessSecret().ifPresent(secret -> mount(mounts, "access", SECRETS + "/access", true));
    settings.kafkaConfigSecret().ifPresent(secret -> mount(mounts, "kafka-config", SECRETS + "/kafka", true));
    return container;
  }

  private static ArrayNode volumes(RenderSettings settings) {
    ArrayNode volumes = JSON.arrayNode();
    volumes.addObject().put("name", "mesh").putObject("configMap").put("name", KubernetesManifests.MESH_CONFIG_MAP);
    volumes.addObject().put("name", "data").putObject("emptyDir");
    volumes.addObject().put("name", "tmp").putObject("emptyDir");
    secret(volumes, "cluster-key", settings.clusterKeySecret());
    settings.accessSecret().ifPresent(secret -> secret(volumes, "access", secret));
    settings.kafkaConfigSecret().ifPresent(secret -> secret(volumes, "kafka-config", secret));
    return volumes;
  }

  private static void secret(ArrayNode volumes, String name, String secret) {
    // optional: false is the default, said out loud: podman's kube play reads the field without a default.
    volumes.addObject().put("name", name).putObject("secret").put("secretName", secret).put("defaultMode", 0440)
        .put("optional", false);
  }

  private static void mount(ArrayNode mounts, String volume, String path, boolean readOnly) {
    mounts.addObject().put("name", volume).put("mountPath", path).put("readOnly", readOnly);
  }

  private static void env(ArrayNode env, String name, String value) {
    env.addObject().put("name", name).put("value", value);
  }

  private static ObjectNode probe(String path, int port, int periodSeconds, int failureThreshold) {
    ObjectNode probe = JSON.objectNode();
    probe.putObject("httpGet").put("path", path).put("port", port);
    return probe.put("periodSeconds", periodSeconds).put("failureThreshold", failureThreshold);
  }
}
