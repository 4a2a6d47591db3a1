package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to run a mesh.
 *
 * @param meshFile the mesh file to run
 * @param httpPort the HTTP port (0 picks a free one)
 * @param kafkaPort the embedded broker's port (0 picks a free one); unused with an external cluster
 * @param externalKafka bootstrap servers of an external cluster; when present no broker is embedded
 * @param dataDir where the embedded broker keeps its data, so events survive a restart
 * @param ingress settings of the HTTP ingress
 */
public record MeshOptions(
    Path meshFile,
    int httpPort,
    int kafkaPort,
    Optional<String> externalKafka,
    Path dataDir,
    IngressSettings ingress) {

  public static MeshOptions defaults() {
    return new MeshOptions(Path.of("examples/mesh.yaml"), 8080, 9092, Optional.empty(), Path.of(".fnmesh"),
        IngressSettings.defaults());
  }

  public MeshOptions withMeshFile(Path file) {
    return new MeshOptions(file, httpPort, kafkaPort, externalKafka, dataDir, ingress);
  }

  public MeshOptions withHttpPort(int port) {
    return new MeshOptions(meshFile, port, kafkaPort, externalKafka, dataDir, ingress);
  }

  public MeshOptions withKafka(String bootstrapServers) {
    return new MeshOptions(meshFile, httpPort, kafkaPort, Optional.of(bootstrapServers), dataDir, ingress);
  }
}
