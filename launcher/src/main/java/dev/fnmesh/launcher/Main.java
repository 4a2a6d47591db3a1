package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The {@code fnmesh} command line. */
@Command(name = "fnmesh", mixinStandardHelpOptions = true, version = "fnmesh 0.1.0",
    description = "An event-driven CloudEvents function mesh on Kafka.",
    subcommands = {Main.Up.class, Main.Host.class, Main.Controller.class, Main.Kafka.class})
public final class Main {

  /** Where the launcher script lives; relative defaults (the example mesh, the data directory) resolve against it. */
  static final Path HOME = Path.of(System.getProperty("fnmesh.home", "."));

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start the whole mesh in this process: embedded Kafka (unless --kafka), HTTP ingress, triggers.")
  static final class Up implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The mesh file (default: examples/mesh.yaml).")
    Path config = HOME.resolve("examples/mesh.yaml");

    @Option(names = "--http-port", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort = 8080;

    @Option(names = "--kafka-port", description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP_SERVERS",
        description = "Use this Kafka cluster instead of starting an embedded broker.")
    String kafka;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the embedded broker keeps its data and the function processes are noted (default: .fnmesh).")
    Path dataDir = HOME.resolve(".fnmesh");

    @Option(names = "--schemas-dir", paramLabel = "DIR",
        description = "Where the data schemas named by triggers' dataschema are read from (default: examples/schemas).")
    Path schemasDir = HOME.resolve("examples/schemas");

    @Option(names = "--functions-dir", paramLabel = "DIR",
        description = "Where the jars of Java functions named with jar: are read from (default: functions).")
    Path functionsDir = HOME.resolve("functions");

    @Option(names = "--max-body-bytes", description = "Largest accepted HTTP body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes = IngressSettings.DEFAULT_MAX_BODY_BYTES;

    @Override
    public Integer call() throws InterruptedException {
      MeshOptions options = new MeshOptions(config, httpPort, kafkaPort, Optional.ofNullable(kafka), dataDir,
          schemasDir, functionsDir, new IngressSettings(maxBodyBytes, true), Duration.ofSeconds(1));
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
      return runUntilStopped(mesh, String.format("fnmesh is up%n  Kafka: %s%s%n  HTTP:  http://localhost:%d%n  mesh:  %s%n",
          mesh.bootstrapServers(), kafka == null ? " (embedded, data in " + dataDir.resolve("kafka") + ")" : "",
          mesh.httpPort(), config));
    }
  }

  @Command(name = "host", mixinStandardHelpOptions = true,
      description = "Start a function host that joins a mesh on a Kafka cluster: it runs the mesh its controller"
          + " publishes, its share of every trigger's replicas, the HTTP ingress and the webhooks.")
  static final class Host implements Callable<Integer> {

    @Option(names = "--kafka", required = true, paramLabel = "BOOTSTRAP_SERVERS", description = "The mesh's Kafka cluster.")
    String kafka;

    @Option(names = "--http-port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpPort = 8080;

    @Option(names = "--host-id", paramLabel = "ID", description = "This host's id in the mesh (default: machine name and process id).")
    String hostId;

    @Option(names = "--state-topic", paramLabel = "TOPIC", description = "The mesh's state topic (default: ${DEFAULT-VALUE}).")
    String stateTopic = ClusterSettings.DEFAULT_STATE_TOPIC;

    @Option(names = "--mesh-dir", paramLabel = "DIR",
        description = "What relative paths in the mesh resolve against (default: the mesh file's directory on the controller).")
    Path meshDir;

    @Option(names = "--schemas-dir", paramLabel = "DIR", description = "Where data schemas are read from (default: examples/schemas).")
    Path schemasDir = HOME.resolve("examples/schemas");

    @Option(names = "--functions-dir", paramLabel = "DIR", description = "Where function jars are read from (default: functions).")
    Path functionsDir = HOME.resolve("functions");

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Where the function processes are noted, so a start after a SIGKILL ends those left (default: .fnmesh).")
    Path dataDir = HOME.resolve(".fnmesh");

    @Option(names = "--max-body-bytes", description = "Largest accepted HTTP body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes = IngressSettings.DEFAULT_MAX_BODY_BYTES;

    @Override
    public Integer call() throws InterruptedException {
      ClusterSettings defaults = ClusterSettings.defaults();
      HostOptions options = new HostOptions(kafka, httpPort, Optional.ofNullable(hostId), schemasDir, functionsDir,
          Optional.ofNullable(meshDir), dataDir, new IngressSettings(maxBodyBytes, true),
          new ClusterSettings(stateTopic, defaults.beatInterval(), defaults.hostTimeout()));
      HostNode host;
      try {
        host = HostNode.start(options);
      } catch (RuntimeException e) {
        System.err.println("fnmesh host: " + e.getMessage());
        return 1;
      }
      return runUntilStopped(host, String.format("fnmesh host %s is up%n  Kafka: %s (state topic %s)%n  HTTP:  http://localhost:%d%n",
          host.hostId(), kafka, stateTopic, host.httpPort()));
    }
  }

  @Command(name = "controller", mixinStandardHelpOptions = true,
      description = "Start the trigger controller of a mesh on a Kafka cluster: it publishes the mesh file to the hosts"
          + " and scales every trigger's replicas over them by the lag of its consumer group.")
  static final class Controller implements Callable<Integer> {

    @Option(names = "--kafka", required = true, paramLabel = "BOOTSTRAP_SERVERS", description = "The mesh's Kafka cluster.")
    String kafka;

    @Option(names = "--config", paramLabel = "FILE", description = "The mesh file (default: examples/mesh.yaml).")
    Path config = HOME.resolve("examples/mesh.yaml");

    @Option(names = "--http-port", description = "HTTP port of the mesh API and metrics (default: ${DEFAULT-VALUE}).")
    int httpPort = 8090;

    @Option(names = "--state-topic", paramLabel = "TOPIC", description = "The mesh's state topic (default: ${DEFAULT-VALUE}).")
    String stateTopic = ClusterSettings.DEFAULT_STATE_TOPIC;

    @Option(names = "--host-timeout", paramLabel = "DURATION",
        description = "How long a silent host keeps its replicas, ISO-8601 (default: PT5S).")
    Duration hostTimeout = ClusterSettings.defaults().hostTimeout();

    @Option(names = "--schemas-dir", paramLabel = "DIR", description = "Where data schemas are read from (default: examples/schemas).")
    Path schemasDir = HOME.resolve("examples/schemas");

    @Option(names = "--functions-dir", paramLabel = "DIR", description = "Where function jars are read from (default: functions).")
    Path functionsDir = HOME.resolve("functions");

    @Override
    public Integer call() throws InterruptedException {
      ControllerOptions options;
      try {
        options = new ControllerOptions(kafka, config, httpPort, schemasDir, functionsDir,
            new ClusterSettings(stateTopic, ClusterSettings.defaults().beatInterval(), hostTimeout), Duration.ofSeconds(1));
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
      return runUntilStopped(controller, String.format("fnmesh controller is up%n  Kafka: %s (state topic %s)%n"
          + "  HTTP:  http://localhost:%d%n  mesh:  %s%n", kafka, stateTopic, controller.httpPort(), config));
    }
  }

  @Command(name = "kafka", mixinStandardHelpOptions = true,
      description = "Start only the embedded single-node Kafka broker (KRaft), for hosts and a controller to share.")
  static final class Kafka implements Callable<Integer> {

    @Option(names = "--kafka-port", description = "Port of the broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort = 9092;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker keeps its data (default: .fnmesh).")
    Path dataDir = HOME.resolve(".fnmesh");

    @Override
    public Integer call() throws InterruptedException {
      EmbeddedKafka broker;
      try {
        broker = EmbeddedKafka.start(new EmbeddedKafkaConfig(dataDir.resolve("kafka"), kafkaPort));
      } catch (RuntimeException e) {
        System.err.println("fnmesh kafka: " + e.getMessage());
        return 1;
      }
      return runUntilStopped(broker, String.format("fnmesh kafka is up%n  Kafka: %s (data in %s)%n",
          broker.bootstrapServers(), dataDir.resolve("kafka")));
    }
  }

  /** Prints the banner, then waits until the process is told to stop (SIGTERM, Ctrl-C) and closes what runs. */
  private static int runUntilStopped(AutoCloseable running, String banner) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("fnmesh: did not stop cleanly: " + e.getMessage());
      }
      stopped.countDown();
    }, "fnmesh-shutdown"));
    System.out.print(banner);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
