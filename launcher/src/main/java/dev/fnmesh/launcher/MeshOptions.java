package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;

import dev.fnmesh.host.FunctionContainers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to run a mesh.
 *
 * @param meshFile the mesh file to run
 * @param http where the HTTP port listens, who may call it and whether it speaks TLS
 * @param kafkaPort the embedded broker's port (0 picks a free one); unused with an external cluster
 * @param externalKafka an external cluster and how its clients reach it; when present no broker is embedded
 * @param dataDir where the embedded broker keeps its data, so events survive a restart, and where the
 *     function processes are noted, so that the next start ends those a SIGKILL left behind
 * @param schemasDir where the data schemas that triggers name ({@code dataschema:}) are read from
 * @param functionsDir where the jars of Java functions named with {@code jar:} are read from
 * @param ingress settings of the HTTP ingress
 * @param watchInterval how often the mesh file is checked for changes; zero to not watch it
 * @param clusterKey the key that signs the cron state records, to share with other processes on the same
 *     cluster; when empty, a key of this process's own, kept in the data directory
 * @param allowApiCommands whether a mesh sent to {@code PUT /api/mesh} may declare {@code command:} functions
 * @param onlyTriggers when present, the only triggers that run here, each at {@code replicasEach} replicas and
 *     unscaled, for a scaler outside (KEDA) that runs more processes; empty, none runs (an ingress only)
 * @param replicasEach the replicas of each trigger of {@code onlyTriggers}
 * @param meshDir where relative paths of the mesh resolve (a process function's command and working directory);
 *     empty for the mesh file's own directory
 * @param containers where image functions run: the container engine that starts them, or where they run already
 */
public record MeshOptions(
    Path meshFile,
    HttpPortSettings http,
    int kafkaPort,
    Optional<KafkaSettings> externalKafka,
    Path dataDir,
    Path schemasDir,
    Path functionsDir,
    IngressSettings ingress,
    Duration watchInterval,
    Optional<ClusterKey> clusterKey,
    boolean allowApiCommands,
    Optional<Set<String>> onlyTriggers,
    int replicasEach,
    Optional<Path> meshDir,
    FunctionContainers containers) {

  public MeshOptions {
    onlyTriggers = onlyTriggers.map(Set::copyOf);
  }

  /** Image functions started with the engine found on the PATH. */
  public MeshOptions(Path meshFile, HttpPortSettings http, int kafkaPort, Optional<KafkaSettings> externalKafka,
      Path dataDir, Path schemasDir, Path functionsDir, IngressSettings ingress, Duration watchInterval,
      Optional<ClusterKey> clusterKey, boolean allowApiCommands, Optional<Set<String>> onlyTriggers, int replicasEach,
      Optional<Path> meshDir) {
    this(meshFile, http, kafkaPort, externalKafka, dataDir, schemasDir, functionsDir, ingress, watchInterval,
        clusterKey, allowApiCommands, onlyTriggers, replicasEach, meshDir,
        ContainerOptions.found(Optional.empty(), Map.of(), dataDir));
  }

  /** Every trigger runs here, scaled by its lag. */
  public MeshOptions(Path meshFile, HttpPortSettings http, int kafkaPort, Optional<KafkaSettings> externalKafka,
      Path dataDir, Path schemasDir, Path functionsDir, IngressSettings ingress, Duration watchInterval,
      Optional<ClusterKey> clusterKey, boolean allowApiCommands) {
    this(meshFile, http, kafkaPort, externalKafka, dataDir, schemasDir, functionsDir, ingress, watchInterval,
        clusterKey, allowApiCommands, Optional.empty(), 1, Optional.empty());
  }
}
