package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once delivery across a crash: {@code fnmesh controller} and two {@code fnmesh host} processes share an
 * exactly-once trigger's replicas; one host is killed with SIGKILL while it handles a backlog. A read_committed
 * reader of the reply topic then finds every event replied to once: none lost, none twice.
 */
class ExactlyOnceIT {

  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int PARTITIONS = 4;
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
  void aHostKilledMidBacklogLeavesEveryReplyOnceForReadCommittedReaders() throws Exception {
    String topic = KafkaFixture.uniqueTopic("exactly");
    String stateTopic = topic + ".state";
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          slow: { java: sleep, config: { ms: 5 } }
        triggers:
          %1$s:
            kafka: { topic: %1$s, partitions: %2$d }
            function: slow
            reply: { topic: %1$s.replies }
            delivery: { guarantee: exactly-once }
            scale: { min: 4, max: 4 }
        """.formatted(topic, PARTITIONS));
    int controllerPort = freePort();
    start("controller", controllerPort, "controller", "--config", meshFile.toString(), "--state-topic", stateTopic,
        "--host-timeout", "PT10S");
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    for (String host : List.of("host-a", "host-b")) {
      int port = freePort();
      hostPorts.put(host, port);
      start(host, port, "host", "--host-id", host, "--state-topic", stateTopic);
    }
    // Two replicas on each host, each with a partition of its own.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
        placement(controllerPort).equals(Map.of("host-a", 2, "host-b", 2))
            && triggerOn(hostPorts.get("host-a")).getString("state").equals("running")
            && triggerOn(hostPorts.get("host-b")).getString("state").equals("running"));

    write(topic, BACKLOG);
    int victimPort = hostPorts.get("host-b");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
        triggerOn(victimPort).getJsonObject("events").getLong("succeeded") > 100);
    processes.get("host-b").destroyForcibly().waitFor();
    assertTrue(repliesSoFar(topic + ".replies") < BACKLOG,
        "the host was killed while the backlog was being handled");

    Map<String, Integer> replies = readCommittedReplies(topic + ".replies", BACKLOG, WAIT);
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      if (!replies.containsKey("event-" + i)) {
        lost.add("event-" + i);
      }
    }
    Map<String, Integer> twice = replies.entrySet().stream().filter(entry -> entry.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(List.of(), lost.subList(0, Math.min(10, lost.size())), () -> lost.size() + " lost\n" + logs());
    assertEquals(Map.of(), twice, () -> twice.size() + " replied to more than once\n" + logs());
    assertEquals(BACKLOG, replies.size());
  }

  /** Replies readable now by a read_committed reader: the killed host's open transaction is not among them. */
  private static long repliesSoFar(String topic) {
    return readCommitted(topic, records -> true, Duration.ZERO).size();
  }

  /**
   * Reads the topic read_committed until {@code count} distinct ids arrived, then on to its last stable offset, so
   * that a reply written twice would be counted too.
   *
   * @return how often each id was read
   */
  private static Map<String, Integer> readCommittedReplies(String topic, int count, Duration timeout) {
    Map<String, Integer> seen = new HashMap<>();
    readCommitted(topic, record -> {
      seen.merge(TestMesh.idOf(record), 1, Integer::sum);
      return seen.size() < count;
    }, timeout);
    return seen;
  }

  /**
   * @param more told each record; reading stops once it answered false and the end was reached, or at the timeout
   */
  private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic,
      Predicate<ConsumerRecord<byte[], byte[]>> more, Duration timeout) {
    Map<String, Object> config = KafkaFixture.consumerConfig("reader-" + System.nanoTime());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      boolean wantMore = true;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
          wantMore = more.test(record);
        }
        // read_committed end offsets are the last stable offsets.
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        boolean atEnd = partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
        if ((!wantMore && atEnd) || System.nanoTime() > deadline || (timeout.isZero() && atEnd)) {
          return records;
        }
      }
    }
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
