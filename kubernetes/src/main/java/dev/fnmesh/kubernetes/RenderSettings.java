package dev.fnmesh.kubernetes;

import java.util.Objects;
import java.util.Optional;

/**
 * How a mesh is rendered for Kubernetes.
 *
 * @param namespace the namespace of every object; empty leaves it to {@code kubectl -n}
 * @param image the fnmesh image every pod runs
 * @param kafkaBootstrap the Kafka cluster's bootstrap servers, as pods reach them
 * @param kafkaConfigSecret a Secret holding the Kafka client settings: key {@code client.properties} for fnmesh,
 *     and for KEDA's Kafka scaler the keys it reads ({@code sasl}, {@code username}, {@code password},
 *     {@code tls}, {@code ca}, {@code cert}, {@code key}); empty for a cluster without TLS or SASL
 * @param scaler who scales the triggers
 * @param meshDir where relative paths of the mesh (a process function's command) resolve in the pods, such as a
 *     directory of the image; empty for the directory the mesh's ConfigMap is mounted in
 * @param accessSecret the Secret holding the access file (key {@code access.yaml}) that guards every HTTP port;
 *     empty renders pods that listen without access control, only when asked for
 * @param clusterKeySecret the Secret holding the cluster key (key {@code cluster.key}) every pod shares
 */
public record RenderSettings(
    Optional<String> namespace,
    String image,
    String kafkaBootstrap,
    Optional<String> kafkaConfigSecret,
    Scaler scaler,
    Optional<String> meshDir,
    Optional<String> accessSecret,
    String clusterKeySecret) {

  /** The directory every pod finds the mesh file in, mounted from its ConfigMap. */
  public static final String MESH_MOUNT = "/etc/fnmesh/mesh";
  /** The Secrets pods read when not told otherwise. */
  public static final String DEFAULT_ACCESS_SECRET = "fnmesh-access";
  public static final String DEFAULT_CLUSTER_KEY_SECRET = "fnmesh-cluster-key";

  /** Who decides how many replicas of a trigger run. */
  public enum Scaler {
    /** KEDA's Kafka scaler: a Deployment per trigger, scaled by a ScaledObject, to zero pods when idle. */
    KEDA,
    /** fnmesh's own: a controller that places replicas on a Deployment of hosts by lag, where KEDA is missing. */
    FNMESH
  }

  public RenderSettings {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    Objects.requireNonNull(kafkaConfigSecret, "kafkaConfigSecret");
    Objects.requireNonNull(scaler, "scaler");
    Objects.requireNonNull(meshDir, "meshDir");
    Objects.requireNonNull(accessSecret, "accessSecret");
    Objects.requireNonNull(clusterKeySecret, "clusterKeySecret");
    if (kafkaBootstrap.isBlank()) {
      throw new IllegalArgumentException("the Kafka bootstrap servers must be given");
    }
    if (meshDir.isPresent() && !meshDir.get().startsWith("/")) {
      throw new IllegalArgumentException("the mesh directory must be an absolute path, got " + meshDir);
    }
  }
}
