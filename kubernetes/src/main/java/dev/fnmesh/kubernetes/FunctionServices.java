package dev.fnmesh.kubernetes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.SecretRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.fnmesh.kubernetes.KubeObjects.JSON;
import static dev.fnmesh.kubernetes.KubeObjects.map;
import static dev.fnmesh.kubernetes.KubeObjects.object;
import static dev.fnmesh.kubernetes.KubeObjects.selector;

/**
 * The image functions of a mesh as Kubernetes objects: each its own Deployment and Service
 * ({@code fnmesh-fn-NAME}), locked down as fnmesh's pods are, and a NetworkPolicy that lets only fnmesh's pods
 * reach them. Every fnmesh pod is told where they run ({@code FNMESH_FUNCTION_URL}), since a host in a
 * container starts no container. A secret of an image function's {@code env:} is read from the Secret
 * {@code fnmesh-fn-NAME}, under the variable's name.
 */
final class FunctionServices {

  /** The prefix of the Deployment, Service and Secret of an image function. */
  static final String PREFIX = "fnmesh-fn-";

  private FunctionServices() {}

  static List<FunctionSpec> images(MeshConfig mesh) {
    return mesh.functions().values().stream().filter(spec -> spec.kind() instanceof ImageKind)
        .sorted(Comparator.comparing(FunctionSpec::name)).toList();
  }

  /** The value of {@code FNMESH_FUNCTION_URL} of every fnmesh pod: each image function at its Service; empty for none. */
  static Optional<String> urls(MeshConfig mesh) {
    List<FunctionSpec> images = images(mesh);
    return images.isEmpty() ? Optional.empty() : Optional.of(images.stream()
        .map(spec -> spec.name() + "=http://" + PREFIX + spec.name() + ":" + ((ImageKind) spec.kind()).port())
        .collect(Collectors.joining(",")));
  }

  /** The Deployment, Service and NetworkPolicy of each image function. */
  static List<ObjectNode> render(MeshConfig mesh, Optional<String> namespace) {
    List<ObjectNode> objects = new ArrayList<>();
    for (FunctionSpec spec : images(mesh)) {
      ImageKind image = (ImageKind) spec.kind();
      String name = PREFIX + spec.name();
      Map<String, String> labels = labels(spec.name());
      ObjectNode deployment = object("apps/v1", "Deployment", name, namespace, labels);
      ObjectNode deploymentSpec = deployment.putObject("spec").put("replicas", 1);
      deploymentSpec.set("selector", selector(labels));
      deploymentSpec.set("template", template(spec.name(), image, labels));
      objects.add(deployment);
      ObjectNode service = object("v1", "Service", name, namespace, labels);
      ObjectNode serviceSpec = service.putObject("spec");
      serviceSpec.set("selector", map(labels));
      serviceSpec.putArray("ports").addObject().put("name", "http").put("port", image.port()).put("targetPort", "http")
          .put("protocol", "TCP");
      objects.add(service);
      objects.add(networkPolicy(name, namespace, labels, image.port()));
    }
    return objects;
  }

  private static Map<String, String> labels(String function) {
    return Map.of("app.kubernetes.io/name", KubeObjects.APP, "app.kubernetes.io/component", "function",
        "fnmesh.dev/function", function);
  }

  private static ObjectNode template(String function, ImageKind image, Map<String, String> labels) {
    ObjectNode template = JSON.objectNode();
    template.putObject("metadata").set("labels", map(labels));
    ObjectNode spec = template.putObject("spec");
    spec.put("automountServiceAccountToken", false);
    String[] user = image.user().split(":");
    ObjectNode podSecurity = spec.putObject("securityContext").put("runAsNonRoot", true)
        .put("runAsUser", Long.parseLong(user[0]));
    if (user.length > 1) {
      podSecurity.put("runAsGroup", Long.parseLong(user[1]));
    }
    podSecurity.putObject("seccompProfile").put("type", "RuntimeDefault");
    ObjectNode container = spec.putArray("containers").addObject().put("name", "function").put("image", image.image());
    ArrayNode env = container.putArray("env");
    env.addObject().put("name", "PORT").put("value", String.valueOf(image.port()));
    env.addObject().put("name", "FNMESH_FUNCTION").put("value", function);
    env.addObject().put("name", "FNMESH_REPLICA").put("value", "0");
    image.env().forEach((variable, value) -> {
      ObjectNode entry = env.addObject().put("name", variable);
      if (value instanceof SecretRef) {
        entry.putObject("valueFrom").putObject("secretKeyRef").put("name", PREFIX + function).put("key", variable)
            .put("optional", false);
      } else {
        entry.put("value", (String) value);
      }
    });
    container.putArray("ports").addObject().put("name", "http").put("containerPort", image.port()).put("protocol", "TCP");
    ObjectNode probe = container.putObject("readinessProbe");
    probe.putObject("tcpSocket").put("port", image.port());
    probe.put("periodSeconds", 2).put("failureThreshold", 2);
    ObjectNode resources = container.putObject("resources");
    image.memory().ifPresent(memory -> resources.set("limits", map(Map.of("memory", memory))));
    ObjectNode security = container.putObject("securityContext")
        .put("allowPrivilegeEscalation", false).put("readOnlyRootFilesystem", true).put("runAsNonRoot", true);
    security.putObject("capabilities").putArray("drop").add("ALL");
    container.putArray("volumeMounts").addObject().put("name", "tmp").put("mountPath", "/tmp").put("readOnly", false);
    spec.putArray("volumes").addObject().put("name", "tmp").putObject("emptyDir");
    return template;
  }

  /** Only fnmesh's own pods (not other functions') may reach the function, on its port. */
  private static ObjectNode networkPolicy(String name, Optional<String> namespace, Map<String, String> labels, int port) {
    ObjectNode policy = object("networking.k8s.io/v1", "NetworkPolicy", name, namespace, labels);
    ObjectNode spec = policy.putObject("spec");
    spec.set("podSelector", selector(labels));
    spec.putArray("policyTypes").add("Ingress");
    ObjectNode rule = spec.putArray("ingress").addObject();
    ObjectNode from = rule.putArray("from").addObject().putObject("podSelector");
    from.set("matchLabels", map(Map.of("app.kubernetes.io/name", KubeObjects.APP)));
    from.putArray("matchExpressions").addObject().put("key", "app.kubernetes.io/component").put("operator", "NotIn")
        .putArray("values").add("function");
    rule.putArray("ports").addObject().put("port", port).put("protocol", "TCP");
    return policy;
  }
}
