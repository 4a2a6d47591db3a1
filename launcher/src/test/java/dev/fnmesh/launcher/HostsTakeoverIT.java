package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh across processes: {@code fnmesh controller} and three {@code fnmesh host} processes on the shared
 * broker. A backlog spreads the trigger's replicas over the hosts; one host is killed with SIGKILL while it
 * works; its replicas move to the others, its partitions are taken over through the group rebalance and
 * every event is handled; after the backlog the trigger returns to zero on every host.
 */
class HostsTakeoverIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 6;
  private static final int BACKLOG = 3000;

  @TempDir
  Path dir;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process process : processes.values()) {
      process.destroy();
    }
    for (Process process : processes.values()) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void aKilledHostsReplicasAndPartitionsAreTakenOverAndNoEventIsLost() throws Exception {
    String topic = KafkaFixture.uniqueTopic("takeover");
    String stateTopic = topic + ".state";
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          slow: { java: sleep, config: { ms: 20 } }
        triggers:
          %1$s:
            kafka: { topic: %1$s, partitions: %2$d }
            function: slow
            reply: { topic: %1$s.replies }
            scale: { lagThreshold: 100, cooldown: PT3S, pollInterval: PT0.5S }
        """.formatted(topic, PARTITIONS));
    int controllerPort = freePort();
    // A host timeout well above a JIT or GC pause of five JVMs on two cores, so that only the kill counts.
    start("controller", controllerPort, "controller", "--config", meshFile.toString(), "--state-topic", stateTopic,
        "--host-timeout", "PT10S");
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    for (String host : List.of("host-a", "host-b", "host-c")) {
      int port = freePort();
      hostPorts.put(host, port);
      start(host, port, "host", "--host-id", host, "--state-topic", stateTopic);
    }
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
        get(controllerPort, "/api/hosts").getJsonArray("hosts").size() == 3);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> triggerOn(hostPorts.get("host-c")) != null);

    write(topic, BACKLOG);
    // The backlog asks for one replica per partition: two on each of the three hosts.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
        placement(controllerPort).equals(Map.of("host-a", 2, "host-b", 2, "host-c", 2)));
    int victimPort = hostPorts.get("host-b");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonObject victim = triggerOn(victimPort);
      return victim.getInteger("replicas") == 2 && victim.getJsonObject("events").getLong("succeeded") > 0;
    });

    processes.get("host-b").destroyForcibly().waitFor();
    long repliedAtKill = TestMesh.recordCount(topic + ".replies");
    assertTrue(repliedAtKill < BACKLOG, "the host was killed while the backlog was being handled");

    // Its replicas move to the hosts left, which run them.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<String, Integer> placement = placement(controllerPort);
      return !placement.isEmpty() && !placement.containsKey("host-b")
          && placement.values().stream().mapToInt(Integer::intValue).sum() == desired(controllerPort)
          && placement.getOrDefault("host-a", 0) == triggerOn(hostPorts.get("host-a")).getInteger("replicas")
          && placement.getOrDefault("host-c", 0) == triggerOn(hostPorts.get("host-c")).getInteger("replicas");
    });
    List<String> expected = IntStream.range(0, BACKLOG).mapToObj(i -> "event-" + i).toList();
    // A rebalance redelivers what was not yet committed, so replies may repeat: count distinct ids.
    Set<String> handled = TestMesh.readEventsWithIds(topic + ".replies", expected, WAIT).stream()
        .map(event -> event.getId()).collect(Collectors.toSet());
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(handled);
    assertTrue(missing.isEmpty(), () -> missing.size() + " events never handled, e.g. "
        + missing.stream().limit(5).toList() + "\n" + logs());

    // Drained: after the cooldown no host runs a replica.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> desired(controllerPort) == 0
        && triggerOn(hostPorts.get("host-a")).getInteger("replicas") == 0
        && triggerOn(hostPorts.get("host-c")).getInteger("replicas") == 0);
    assertFalse(processes.get("host-b").isAlive());
    assertTrue(processes.get("host-a").isAlive() && processes.get("host-c").isAlive() && processes.get("controller").isAlive(),
        "the other processes stay up");
  }

  private void start(String name, int httpPort, String... command) throws IOException {
    List<String> line = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    line.addAll(List.of(command));
    line.addAll(List.of("--kafka", KafkaFixture.bootstrapServers(), "--http-port", String.valueOf(httpPort),
        "--cluster-key-file", clusterKeyFile().toString()));
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.put(name, process);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      assertTrue(process.isAlive(), () -> name + " exited:\n" + logs());
      return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/healthz")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    });
  }

  /** The key the controller and the hosts share, made as the README says. */
  private Path clusterKeyFile() throws IOException {
    Path file = dir.resolve("cluster.key");
    if (Files.notExists(file)) {
      Files.write(file, ClusterKey.generateText());
    }
    return file;
  }

  private static void write(String topic, int count) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      for (int i = 0; i < count; i++) {
        var event = CloudEventBuilder.v1().withId("event-" + i).withSource(URI.create("/takeover"))
            .withType("dev.fnmesh.test.work").withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
        var record = CloudEventRecords.toRecord(topic, event, null);
        producer.send(new ProducerRecord<>(topic, i % PARTITIONS, record.key(),
            record.value(), record.headers()));
      }
      producer.flush();
    }
  }

  private JsonObject get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The trigger as a process shows it, or null before the process runs it. */
  private JsonObject triggerOn(int port) throws IOException, InterruptedException {
    var triggers = get(port, "/api/triggers").getJsonArray("triggers");
    return triggers.isEmpty() ? null : triggers.getJsonObject(0);
  }

  private Map<String, Integer> placement(int controllerPort) throws IOException, InterruptedException {
    JsonObject hosts = triggerOn(controllerPort).getJsonObject("scaling").getJsonObject("hosts");
    return hosts.fieldNames().stream().collect(Collectors.toMap(host -> host, hosts::getInteger));
  }

  private int desired(int controllerPort) throws IOException, InterruptedException {
    return triggerOn(controllerPort).getJsonObject("scaling").getInteger("desiredReplicas");
  }

  private String logs() {
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

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
