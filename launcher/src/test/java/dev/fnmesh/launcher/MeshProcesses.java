package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fnmesh controller} and {@code fnmesh host} as child processes on the shared broker, sharing one cluster
 * key, each logging to a file of its own in {@code dir}; and what the tests that kill one of them ask of them.
 */
final class MeshProcesses implements AutoCloseable {

  private final Path dir;
  private final Duration wait;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  MeshProcesses(Path dir, Duration wait) {
    this.dir = dir;
    this.wait = wait;
  }

  /** Starts {@code fnmesh COMMAND…} on this port and waits until it answers {@code /healthz}. */
  void start(String name, int httpPort, String... command) throws IOException {
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    line.addAll(List.of(command));
    line.addAll(List.of("--kafka", KafkaFixture.bootstrapServers(), "--http-port", String.valueOf(httpPort),
        "--cluster-key-file", clusterKeyFile().toString()));
    Process process = new ProcessBuilder(line).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    processes.put(name, process);
    await().atMost(wait).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      assertTrue(process.isAlive(), () -> name + " exited:\n" + logs());
      return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/healthz")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    });
  }

  Process process(String name) {
    return processes.get(name);
  }

  /** The key the controller and the hosts share, made as the README says. */
  private Path clusterKeyFile() throws IOException {
    Path file = dir.resolve("cluster.key");
    if (Files.notExists(file)) {
      Files.write(file, ClusterKey.generateText());
    }
    return file;
  }

  JsonObject get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The one trigger as a process shows it, or null before the process runs it. */
  JsonObject triggerOn(int port) throws IOException, InterruptedException {
    var triggers = get(port, "/api/triggers").getJsonArray("triggers");
    return triggers.isEmpty() ? null : triggers.getJsonObject(0);
  }

  /** The trigger's replicas per host, as the controller places them. */
  Map<String, Integer> placement(int controllerPort) throws IOException, InterruptedException {
    JsonObject hosts = triggerOn(controllerPort).getJsonObject("scaling").getJsonObject("hosts");
    return hosts.fieldNames().stream().collect(Collectors.toMap(host -> host, hosts::getInteger));
  }

  /** The last 30 lines of each process's log, for a failure's message. */
  String logs() {
    StringBuilder all = new StringBuilder();
    for (String name : processes.keySet()) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
        all.append("--- ").append(name).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))).append('\n');
      } catch (IOException e) {
        all.append("--- ").append(name).append(": no log\n");
      }
    }
    return all.toString();
  }

  /** Writes {@code event-0} to {@code event-(count-1)} round robin over the partitions, in binary mode. */
  static void writeEvents(String topic, int count, int partitions) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      for (int i = 0; i < count; i++) {
        var event = CloudEventBuilder.v1().withId("event-" + i).withSource(URI.create("/takeover"))
            .withType("dev.fnmesh.test.work").withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
        var record = CloudEventRecords.toRecord(topic, event, null);
        producer.send(new ProducerRecord<>(topic, i % partitions, record.key(), record.value(), record.headers()));
      }
      producer.flush();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** SIGTERM to every process, SIGKILL to those still running 30 s later. */
  @Override
  public void close() throws InterruptedException {
    for (Process process : processes.values()) {
      process.destroy();
    }
    for (Process process : processes.values()) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
