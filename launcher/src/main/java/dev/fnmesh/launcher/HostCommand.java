package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.launcher.logging.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code fnmesh host}: a function host of a mesh across processes. */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = "Start a function host that joins a mesh on a Kafka cluster: it runs the mesh its controller"
        + " publishes, its share of every trigger's replicas, the HTTP ingress and the webhooks.")
final class HostCommand implements Callable<Integer> {

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Option(names = "--http-port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int httpPort = 8080;

  @Mixin
  ListenOptions listen = new ListenOptions();

  @Option(names = "--host-id", paramLabel = "ID", description = "This host's id in the mesh (default: machine name and process id).")
  String hostId;

  @Option(names = "--state-topic", paramLabel = "TOPIC", description = "The mesh's state topic (default: ${DEFAULT-VALUE}).")
  String stateTopic = ClusterSettings.DEFAULT_STATE_TOPIC;

  @Option(names = "--mesh-dir", paramLabel = "DIR",
      description = "What relative paths in the mesh resolve against (default: the mesh file's directory on the controller).")
  Path meshDir;

  @Option(names = "--schemas-dir", paramLabel = "DIR", description = "Where data schemas are read from (default: examples/schemas).")
  Path schemasDir = Main.HOME.resolve("examples/schemas");

  @Option(names = "--functions-dir", paramLabel = "DIR", description = "Where function jars are read from (default: functions).")
  Path functionsDir = Main.HOME.resolve("functions");

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the function processes are noted, so a start after a SIGKILL ends those left (default: .fnmesh).")
  Path dataDir = Main.HOME.resolve(".fnmesh");

  @Mixin
  IngressOptions ingress = new IngressOptions();

  @Mixin
  ClusterKeyOptions clusterKey = new ClusterKeyOptions();

  @Mixin
  ContainerOptions containers = new ContainerOptions();

  @Mixin
  LogOptions logging = new LogOptions();

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    if (Main.refused("fnmesh host", listen.refusal(httpPort))) {
      return 2;
    }
    Optional<ClusterKey> key;
    KafkaSettings kafkaSettings;
    FunctionContainers functionContainers;
    try {
      kafkaSettings = kafka.required();
      key = clusterKey.required(System.getenv(), listen.insecure);
      functionContainers = containers.settings(dataDir);
    } catch (IllegalArgumentException e) {
      System.err.println("fnmesh host: " + e.getMessage());
      return 2;
    }
    ClusterSettings defaults = ClusterSettings.defaults();
    HostOptions options = new HostOptions(kafkaSettings, listen.settings(httpPort), Optional.ofNullable(hostId), schemasDir, functionsDir,
        Optional.ofNullable(meshDir), dataDir, ingress.settings(),
        new ClusterSettings(stateTopic, defaults.beatInterval(), defaults.hostTimeout()), key, functionContainers);
    HostNode host;
    try {
      host = HostNode.start(options);
    } catch (RuntimeException e) {
      System.err.println("fnmesh host: " + e.getMessage());
      return 1;
    }
    return Main.runUntilStopped(host, String.format("fnmesh host %s is up%n  Kafka: %s (state topic %s)%n  HTTP:  %s%n",
        host.hostId(), kafkaSettings.bootstrapServers(), stateTopic, listen.settings(httpPort).url(host.httpPort())));
  }
}
