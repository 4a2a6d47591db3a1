package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.launcher.HttpPortSettings;
import dev.fnmesh.launcher.MeshOptions;

import dev.fnmesh.launcher.Mesh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

  /**
   * Starts the mesh and runs it until {@code expected} records are on {@code output}.
   *
   * @return when the first and the last of them came, and the nanoTime the mesh was started at
   */
  static Drained drain(BenchKafka kafka, MeshOptions options, String output, int partitions, long expected,
      int timeoutSeconds) throws Exception {
    try (RecordCountWatcher watcher = new RecordCountWatcher(kafka.settings(), output, partitions, expected,
        Duration.ofSeconds(timeoutSeconds))) {
      long start = System.nanoTime();
      var timeline = watcher.start(() -> { });
      // Started after the watcher: replies may flow before Mesh.start returns.
      try (Mesh mesh = Mesh.start(options)) {
        return new Drained(start, timeline.get(timeoutSeconds + 10L, TimeUnit.SECONDS));
      }
    }
  }

  /** A drain's timeline and the nanoTime its mesh was started at. */
  record Drained(long startNanos, RecordCountWatcher.Timeline timeline) {}
}
