package dev.fnmesh.launcher;

import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.launcher.logging.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code fnmesh controller}: the trigger controller of a mesh across processes. */
@Command(name = "controller", mixinStandardHelpOptions = true,
    description = "Start the trigger controller of a mesh on a Kafka cluster: it publishes the mesh file to the hosts"
        + " and scales every trigger's replicas over them by the lag of its consumer group.")
final class ControllerCommand implements Callable<Integer> {

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Option(names = "--config", paramLabel = "FILE", description = "The mesh file (default: examples/mesh.yaml).")
  Path config = Main.HOME.resolve("examples/mesh.yaml");

  @Option(names = "--http-port", description = "HTTP port of the mesh API and metrics (default: ${DEFAULT-VALUE}).")
  int httpPort = 8090;

  @Mixin
  ListenOptions listen = new ListenOptions();

  @Option(names = "--state-topic", paramLabel = "TOPIC", description = "The mesh's state topic (default: ${DEFAULT-VALUE}).")
  String stateTopic = ClusterSettings.DEFAULT_STATE_TOPIC;

  @Option(names = "--host-timeout", paramLabel = "DURATION",
      description = "How long a silent host keeps its replicas, ISO-8601 (default: PT5S).")
  Duration hostTimeout = ClusterSettings.defaults().hostTimeout();

  @Option(names = "--schemas-dir", paramLabel = "DIR", description = "Where data schemas are read from (default: examples/schemas).")
  Path schemasDir = Main.HOME.resolve("examples/schemas");

  @Option(names = "--functions-dir", paramLabel = "DIR", description = "Where function jars are read from (default: functions).")
  Path functionsDir = Main.HOME.resolve("functions");

  @Option(names = "--allow-api-commands",
      description = "Let a mesh sent to PUT /api/mesh declare command: functions, which run programs on every host;"
          + " without it only the mesh file may.")
  boolean allowApiCommands;

  @Mixin
  ClusterKeyOptions clusterKey = new ClusterKeyOptions();

  @Mixin
  LogOptions logging = new LogOptions();

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    if (Main.refused("fnmesh controller", listen.refusal(httpPort))) {
      return 2;
    }
    ControllerOptions options;
    try {
      options = new ControllerOptions(kafka.required(), config, listen.settings(httpPort), schemasDir, functionsDir,
          new ClusterSettings(stateTopic, ClusterSettings.defaults().beatInterval(), hostTimeout), Duration.ofSeconds(1),
          clusterKey.required(System.getenv(), listen.insecure), allowApiCommands);
    } catch (IllegalArgumentException e) {
      System.err.println("fnmesh controller: " + e.getMessage());
      return 2;
    }
    ControllerNode controller;
    try {
      controller = ControllerNode.start(options);
    } catch (MeshException e) {
      System.err.println("fnmesh controller: invalid mesh file\n" + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("fnmesh controller: " + e.getMessage());
      return 1;
    }
    return Main.runUntilStopped(controller, String.format("fnmesh controller is up%n  Kafka: %s (state topic %s)%n"
        + "  HTTP:  %s%n  mesh:  %s%n", options.kafka().bootstrapServers(), stateTopic, listen.settings(httpPort).url(controller.httpPort()), config));
  }
}
