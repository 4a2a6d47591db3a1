package dev.fnmesh.launcher;

import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.launcher.logging.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code fnmesh up}: the whole mesh in this process. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start the whole mesh in this process: embedded Kafka (unless --kafka), HTTP ingress, triggers.")
final class UpCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "The mesh file (default: examples/mesh.yaml).")
  Path config = Main.HOME.resolve("examples/mesh.yaml");

  @Option(names = "--http-port", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int httpPort = 8080;

  @Mixin
  ListenOptions listen = new ListenOptions();

  @Option(names = "--kafka-port", description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
  int kafkaPort = 9092;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the embedded broker keeps its data and the function processes are noted (default: .fnmesh).")
  Path dataDir = Main.HOME.resolve(".fnmesh");

  @Option(names = "--schemas-dir", paramLabel = "DIR",
      description = "Where the data schemas named by triggers' dataschema are read from (default: examples/schemas).")
  Path schemasDir = Main.HOME.resolve("examples/schemas");

  @Option(names = "--functions-dir", paramLabel = "DIR",
      description = "Where the jars of Java functions named with jar: are read from (default: functions).")
  Path functionsDir = Main.HOME.resolve("functions");

  @Mixin
  IngressOptions ingress = new IngressOptions();

  @Option(names = "--allow-api-commands",
      description = "Let a mesh sent to PUT /api/mesh declare command: functions, which run programs here; without it"
          + " only the mesh file may.")
  boolean allowApiCommands;

  @Mixin
  ClusterKeyOptions clusterKey = new ClusterKeyOptions();

  @Option(names = "--triggers", paramLabel = "NAME[,NAME...]", split = ",",
      description = "Run only these triggers here, each at --replicas replicas, unscaled: for a scaler outside"
          + " (KEDA) that scales a trigger by running more processes. `none` runs no trigger (an ingress only)."
          + " Default: every trigger, scaled by its lag.")
  List<String> triggers;

  @Option(names = "--mesh-dir", paramLabel = "DIR",
      description = "Where relative paths of the mesh resolve, such as a process function's command (default: the"
          + " mesh file's directory).")
  Path meshDir;

  @Option(names = "--replicas", paramLabel = "N",
      description = "The replicas of each trigger named by --triggers (default: ${DEFAULT-VALUE}).")
  int replicas = 1;

  @Mixin
  ContainerOptions containers = new ContainerOptions();

  @Mixin
  LogOptions logging = new LogOptions();

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    if (Main.refused("fnmesh", listen.refusal(httpPort))) {
      return 2;
    }
    MeshOptions options;
    try {
      if (replicas < 1) {
        throw new IllegalArgumentException("--replicas must be at least 1, got " + replicas);
      }
      Optional<Set<String>> only = Optional.ofNullable(triggers)
          .map(names -> names.equals(List.of("none")) ? Set.of() : Set.copyOf(names));
      options = new MeshOptions(config, listen.settings(httpPort), kafkaPort, kafka.settings(), dataDir,
          schemasDir, functionsDir, ingress.settings(), Duration.ofSeconds(1), clusterKey.given(System.getenv()),
          allowApiCommands, only, replicas, Optional.ofNullable(meshDir), containers.settings(dataDir));
    } catch (IllegalArgumentException e) {
      System.err.println("fnmesh: " + e.getMessage());
      return 2;
    }
    Mesh mesh;
    try {
      mesh = Mesh.start(options);
    } catch (MeshException e) {
      System.err.println("fnmesh: invalid mesh file\n" + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("fnmesh: " + e.getMessage());
      return 1;
    }
    return Main.runUntilStopped(mesh, String.format("fnmesh is up%n  Kafka: %s%s%n  HTTP:  %s%n  mesh:  %s%n",
        mesh.bootstrapServers(), options.externalKafka().isEmpty() ? " (embedded, data in " + dataDir.resolve("kafka") + ")" : "",
        listen.settings(httpPort).url(mesh.httpPort()), config));
  }
}
