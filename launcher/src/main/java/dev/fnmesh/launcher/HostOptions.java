package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.cluster.ClusterSettings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to run a function host of a mesh across processes.
 *
 * @param kafka the cluster the mesh runs on and how its clients reach it
 * @param http where the HTTP port listens, who may call it and whether it speaks TLS
 * @param hostId this host's id among the mesh's hosts; by default the machine's name and the process id
 * @param schemasDir where the data schemas that triggers name are read from
 * @param functionsDir where the jars of Java functions named with {@code jar:} are read from
 * @param meshDir what relative paths in the mesh resolve against; by default the mesh file's directory on
 *     the controller, which is right when they share a machine or a layout
 * @param dataDir where the host notes the function processes it runs, so that its next start ends those a
 *     SIGKILL left behind; hosts may share it
 * @param ingress settings of the HTTP ingress
 * @param cluster the state topic and the beat
 * @param clusterKey the key that signs the state records; empty only with {@code --insecure}: records are then
 *     written unsigned and read unchecked
 * @param containers where image functions run: the container engine that starts them, or where they run already
 */
public record HostOptions(
    KafkaSettings kafka,
    HttpPortSettings http,
    Optional<String> hostId,
    Path schemasDir,
    Path functionsDir,
    Optional<Path> meshDir,
    Path dataDir,
    IngressSettings ingress,
    ClusterSettings cluster,
    Optional<ClusterKey> clusterKey,
    FunctionContainers containers) {

  /** Image functions started with the engine found on the PATH. */
  public HostOptions(KafkaSettings kafka, HttpPortSettings http, Optional<String> hostId, Path schemasDir,
      Path functionsDir, Optional<Path> meshDir, Path dataDir, IngressSettings ingress, ClusterSettings cluster,
      Optional<ClusterKey> clusterKey) {
    this(kafka, http, hostId, schemasDir, functionsDir, meshDir, dataDir, ingress, cluster, clusterKey,
        ContainerOptions.found(Optional.empty(), Map.of(), dataDir));
  }
}
