package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.host.cluster.ClusterSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run the trigger controller of a mesh across processes.
 *
 * @param kafka the cluster the mesh runs on and how its clients reach it
 * @param meshFile the mesh file, watched for changes
 * @param http where the HTTP port of the mesh API and the metrics listens
 * @param schemasDir where the data schemas that triggers name are read from, to validate the mesh
 * @param functionsDir where the jars of Java functions are read from, to validate the mesh
 * @param cluster the state topic and the beat
 * @param watchInterval how often the mesh file is checked for changes; zero to not watch it
 * @param clusterKey the key that signs the state records; empty only with {@code --insecure}: records are then
 *     written unsigned and read unchecked
 * @param allowApiCommands whether a mesh sent to {@code PUT /api/mesh} may declare {@code command:} functions
 */
public record ControllerOptions(
    KafkaSettings kafka,
    Path meshFile,
    HttpPortSettings http,
    Path schemasDir,
    Path functionsDir,
    ClusterSettings cluster,
    Duration watchInterval,
    Optional<ClusterKey> clusterKey,
    boolean allowApiCommands) {}
