package dev.fnmesh.bench;

import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.launcher.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A mesh across processes, as an operator runs one: {@code fnmesh controller} and {@code fnmesh host} processes,
 * children of this JVM on its classpath, sharing a cluster key and a state topic. They end with {@link #close} or,
 * failing that, with this JVM's shutdown hook.
 */
final class MeshOfProcesses implements AutoCloseable {

  private static final Duration READY_WAIT = Duration.ofSeconds(120);

  private final Path dir;
  private final String bootstrapServers;
  private final Path keyFile;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread hook = new Thread(this::destroyAll, "faultbench-mesh-processes-shutdown");

  private MeshOfProcesses(Path dir, String bootstrapServers) throws IOException {
    this.dir = dir;
    this.bootstrapServers = bootstrapServers;
    this.keyFile = Files.write(dir.resolve("cluster.key"), ClusterKey.generateText());
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts the controller of {@code meshFile} (a host silent for {@code hostTimeout} is given up) and the hosts,
   * and returns once every host is listed by the controller.
   */
  static MeshOfProcesses start(Path dir, String bootstrapServers, Path meshFile, Duration hostTimeout,
      List<String> hosts) throws Exception {
    MeshOfProcesses mesh = new MeshOfProcesses(dir, bootstrapServers);
    try {
      mesh.launch("controller", "controller", "--config", meshFile.toString(), "--state-topic", "faultbench.state",
          "--host-timeout", hostTimeout.toString());
      for (String host : hosts) {
        mesh.launch(host, "host", "--host-id", host, "--state-topic", "faultbench.state", "--data-dir",
            Files.createDirectories(dir.resolve(host)).toString());
      }
      long deadline = System.nanoTime() + READY_WAIT.toNanos();
      while (mesh.controllerHosts() < hosts.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the controller did not list " + hosts + " within " + READY_WAIT);
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    } catch (Exception e) {
      mesh.close();
      throw e;
    }
    return mesh;
  }

  /** The HTTP address of a process, e.g. {@code http://127.0.0.1:41234}. */
  URI url(String name) {
    return URI.create("http://127.0.0.1:" + ports.get(name));
  }

  /** Kills a process with SIGKILL and waits until it ended. */
  void kill(String name) throws InterruptedException {
    processes.get(name).destroyForcibly().waitFor();
  }

  /** How many replicas of the trigger the controller places on each host now. */
  Map<String, Integer> placement(String trigger) throws Exception {
    JsonArray triggers = get("controller", "/api/triggers").getJsonArray("triggers");
    for (int i = 0; i < triggers.size(); i++) {
      JsonObject status = triggers.getJsonObject(i);
      if (status.getString("name").equals(trigger)) {
        JsonObject hosts = status.getJsonObject("scaling").getJsonObject("hosts", new JsonObject());
        Map<String, Integer> placement = new LinkedHashMap<>();
        hosts.fieldNames().forEach(host -> placement.put(host, hosts.getInteger(host)));
        return placement;
      }
    }
    return Map.of();
  }

  /**
   * Kills a host with SIGKILL while it runs replicas of {@code trigger}, and returns once the controller placed
   * them all on the hosts left: silent for the controller's host timeout, the host is given up on.
   */
  FaultScenarios.Fault hostKill(String host, String trigger) {
    return new FaultScenarios.Fault() {
      private String report = "not run";

      @Override
      public void run() throws Exception {
        Map<String, Integer> before = placement(trigger);
        long killing = System.nanoTime();
        kill(host);
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        Map<String, Integer> after = placement(trigger);
        while (after.isEmpty() || after.containsKey(host)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the replicas of " + host + " did not move within " + READY_WAIT
                + "; placement: " + after);
          }
          TimeUnit.MILLISECONDS.sleep(100);
          after = placement(trigger);
        }
        report = String.format(Locale.ROOT, "%s killed (SIGKILL); replicas %s -> %s after %.1f s", host, before, after,
            (System.nanoTime() - killing) / 1e9);
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs and finds nothing left.
    }
  }

  private void destroyAll() {
    List<Process> all = new ArrayList<>(processes.values());
    all.forEach(Process::destroy);
    for (Process process : all) {
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  private int controllerHosts() {
    try {
      return get("controller", "/api/hosts").getJsonArray("hosts").size();
    } catch (Exception e) {
      return 0;
    }
  }

  private JsonObject get(String name, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url(name).resolve(path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(name + " answered " + path + " with " + response.statusCode());
    }
    return new JsonObject(response.body());
  }

  private void launch(String name, String... command) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    line.addAll(List.of(command));
    line.addAll(List.of("--kafka", bootstrapServers, "--http-port", String.valueOf(port), "--cluster-key-file",
        keyFile.toString()));
    Process process = new ProcessBuilder(line).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    processes.put(name, process);
    ports.put(name, port);
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(String.format(Locale.ROOT, "%s exited with %d; see %s", name,
            process.exitValue(), dir.resolve(name + ".log")));
      }
      try {
        if (http.send(HttpRequest.newBuilder(url(name).resolve("/healthz")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not answer /healthz within " + READY_WAIT);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}
