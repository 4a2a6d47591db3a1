package dev.fnmesh.launcher.render;

import dev.fnmesh.kubernetes.KubernetesManifests;
import dev.fnmesh.launcher.Main;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code fnmesh render helm-values}: the values of the chart {@code deploy/helm/fnmesh} that come from a mesh,
 * read by fnmesh's own loader, so that the chart parses no mesh itself.
 */
@Command(name = "helm-values", mixinStandardHelpOptions = true,
    description = "Print the values of the Helm chart deploy/helm/fnmesh that come from the mesh: the mesh file,"
        + " each trigger's scaling and the cron triggers. Give the rest (kafka.bootstrap, image, ...) with --set or"
        + " another values file.")
public final class HelmValuesCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "The mesh file (default: examples/mesh.yaml).")
  Path config = Main.HOME.resolve("examples/mesh.yaml");

  @Override
  public Integer call() {
    try {
      String text = Files.readString(config);
      MeshConfig mesh = new MeshLoader().parse(text, config.toString());
      System.out.print(KubernetesManifests.yaml(KubernetesManifests.helmValues(mesh, text)));
      return 0;
    } catch (IOException e) {
      System.err.println("fnmesh render: cannot read " + config + ": " + e.getMessage());
      return 2;
    } catch (MeshException e) {
      System.err.println("fnmesh render: invalid mesh file\n" + e.getMessage());
      return 2;
    }
  }
}
