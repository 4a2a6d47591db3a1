package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.launcher.HttpPortSettings;
import dev.fnmesh.launcher.MeshOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The options the benchmarks start a mesh with; the one place that follows {@link MeshOptions}' fields. */
final class BenchMesh {

  private BenchMesh() {}

  /**
   * Free HTTP and Kafka ports, data under {@code dataDir}, the file not watched for changes, and the
   * defaults for everything else.
   *
   * @param externalKafka bootstrap servers to use, or empty to embed a broker
   */
  static MeshOptions options(Path meshFile, Optional<String> externalKafka, Path dataDir) {
    return options(meshFile, externalKafka, dataDir, false);
  }

  /** As {@link #options(Path, Optional, Path)}; {@code allowApiCommands} lets {@code PUT /api/mesh} declare {@code command:} functions. */
  static MeshOptions options(Path meshFile, Optional<String> externalKafka, Path dataDir, boolean allowApiCommands) {
    return new MeshOptions(meshFile, HttpPortSettings.loopback(0), 0, externalKafka.map(KafkaSettings::of), dataDir, dataDir.resolve("schemas"),
        dataDir.resolve("functions"), IngressSettings.defaults(), Duration.ZERO,
        Optional.empty(), allowApiCommands);
  }
}
