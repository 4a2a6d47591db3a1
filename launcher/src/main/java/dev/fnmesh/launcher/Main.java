package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.controller.mesh.InvalidMeshException;
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
    subcommands = {Main.Up.class})
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

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the embedded broker keeps its data (default: .fnmesh).")
    Path dataDir = HOME.resolve(".fnmesh");

    @Option(names = "--schemas-dir", paramLabel = "DIR",
        description = "Where the data schemas named by triggers' dataschema are read from (default: schemas).")
    Path schemasDir = HOME.resolve("schemas");

    @Option(names = "--functions-dir", paramLabel = "DIR",
        description = "Where the jars of Java functions named with jar: are read from (default: functions).")
    Path functionsDir = HOME.resolve("functions");

    @Option(names = "--max-body-bytes", description = "Largest accepted HTTP body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes = IngressSettings.DEFAULT_MAX_BODY_BYTES;

    @Override
    public Integer call() throws InterruptedException {
      MeshOptions options = new MeshOptions(config, httpPort, kafkaPort, Optional.ofNullable(kafka), dataDir,
          schemasDir, functionsDir, new IngressSettings(maxBodyBytes, true, 8), Duration.ofSeconds(1));
      Mesh mesh;
      try {
        mesh = Mesh.start(options);
      } catch (InvalidMeshException e) {
        System.err.println("fnmesh: invalid mesh file\n" + e.getMessage());
        return 2;
      } catch (RuntimeException e) {
        System.err.println("fnmesh: " + e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        mesh.close();
        stopped.countDown();
      }, "fnmesh-shutdown"));
      System.out.printf("fnmesh is up%n  Kafka: %s%s%n  HTTP:  http://localhost:%d%n  mesh:  %s%n",
          mesh.bootstrapServers(), kafka == null ? " (embedded, data in " + dataDir.resolve("kafka") + ")" : "",
          mesh.httpPort(), config);
      System.out.flush();
      stopped.await();
      return 0;
    }
  }
}
