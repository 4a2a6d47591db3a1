package dev.fnmesh.launcher.render;

import dev.fnmesh.kubernetes.KubernetesManifests;
import dev.fnmesh.kubernetes.RenderSettings;
import dev.fnmesh.launcher.Main;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code fnmesh render kubernetes}: the mesh as Kubernetes manifests on stdout, loaded and checked by the same
 * loader every fnmesh process runs, so that a mesh that would not run renders nothing.
 */
@Command(name = "kubernetes", mixinStandardHelpOptions = true,
    description = "Print the mesh as Kubernetes manifests: the mesh as a ConfigMap, an ingress Deployment and"
        + " Service, and per trigger a Deployment scaled by a KEDA ScaledObject (or, with --scaler fnmesh, the"
        + " controller and a Deployment of hosts).")
public final class KubernetesCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "The mesh file (default: examples/mesh.yaml).")
  Path config = Main.HOME.resolve("examples/mesh.yaml");

  @Option(names = "--kafka", paramLabel = "BOOTSTRAP", required = true,
      description = "The Kafka bootstrap servers as pods reach them.")
  String kafka;

  @Option(names = "--namespace", paramLabel = "NS", description = "The namespace of every object (default: none).")
  String namespace;

  @Option(names = "--image", paramLabel = "IMAGE", description = "The fnmesh image (default: ${DEFAULT-VALUE}).")
  String image = "localhost/fnmesh:0.1.0-SNAPSHOT";

  @Option(names = "--kafka-config-secret", paramLabel = "NAME",
      description = "A Secret with the Kafka client settings: client.properties for fnmesh, and sasl, username,"
          + " password, tls, ca, cert, key for KEDA's scaler.")
  String kafkaConfigSecret;

  @Option(names = "--scaler", paramLabel = "keda|fnmesh",
      description = "Who scales the triggers: KEDA, or fnmesh's controller where KEDA is missing (default: keda).")
  String scaler = "keda";

  @Option(names = "--mesh-dir", paramLabel = "DIR",
      description = "Where relative paths of the mesh resolve in the pods, such as a process function's command"
          + " (default: where the mesh file is mounted, " + RenderSettings.MESH_MOUNT + ").")
  String meshDir;

  @Option(names = "--access-secret", paramLabel = "NAME",
      description = "The Secret with the access file (key access.yaml) guarding every pod's HTTP port (default:"
          + " ${DEFAULT-VALUE}).")
  String accessSecret = RenderSettings.DEFAULT_ACCESS_SECRET;

  @Option(names = "--cluster-key-secret", paramLabel = "NAME",
      description = "The Secret with the cluster key (key cluster.key) (default: ${DEFAULT-VALUE}).")
  String clusterKeySecret = RenderSettings.DEFAULT_CLUSTER_KEY_SECRET;

  @Option(names = "--insecure", description = "Let pods listen without access control.")
  boolean insecure;

  @Override
  public Integer call() {
    RenderSettings.Scaler chosen;
    try {
      chosen = RenderSettings.Scaler.valueOf(scaler.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("fnmesh render: --scaler must be keda or fnmesh, got " + scaler);
      return 2;
    }
    String text;
    MeshConfig mesh;
    try {
      text = Files.readString(config);
      mesh = new MeshLoader().parse(text, config.toString());
    } catch (IOException e) {
      System.err.println("fnmesh render: cannot read " + config + ": " + e.getMessage());
      return 2;
    } catch (MeshException e) {
      System.err.println("fnmesh render: invalid mesh file\n" + e.getMessage());
      return 2;
    }
    try {
      RenderSettings settings = new RenderSettings(Optional.ofNullable(namespace), image, kafka,
          Optional.ofNullable(kafkaConfigSecret), chosen, Optional.ofNullable(meshDir),
          insecure ? Optional.empty() : Optional.of(accessSecret), clusterKeySecret);
      System.out.print(KubernetesManifests.yaml(KubernetesManifests.render(mesh, text, settings)));
      return 0;
    } catch (IllegalArgumentException e) {
      System.err.println("fnmesh render: " + e.getMessage());
      return 2;
    }
  }
}
