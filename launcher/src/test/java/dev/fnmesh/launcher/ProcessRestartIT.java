package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fnmesh up} as a real child process with its embedded broker, killed with SIGKILL while clients
 * publish and the trigger works: after a restart on the same data directory every acknowledged event is
 * in Kafka and every one of them was handled (its reply is on the reply topic).
 */
class ProcessRestartIT {

  private static final int ACKNOWLEDGED_BEFORE_KILL = 300;
  @TempDir
  Path dir;
  private Process process;

  @AfterEach
  void stopProcess() throws InterruptedException {
    FnmeshProcess.stop(process);
  }

  @Test
  void aKilledProcessLosesNoAcknowledgedEventAndHandlesEveryOneAfterRestart() throws Exception {
    int httpPort = freePort();
    int kafkaPort = freePort();
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          slow: { java: sleep, config: { ms: 2 } }
        triggers:
          orders:
            kafka: { topic: orders, partitions: 4 }
            function: slow
            reply: { topic: orders.replies }
        """);
    List<String> command = List.of(javaBinary(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "up", "--config", meshFile.toString(), "--http-port", String.valueOf(httpPort),
        "--kafka-port", String.valueOf(kafkaPort), "--data-dir", dir.resolve("data").toString());

    process = start(command, dir.resolve("first.log"), httpPort);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean publishing = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    AtomicInteger sequence = new AtomicInteger();
    for (int c = 0; c < 4; c++) {
      clients.submit(() -> publishUntilStopped(httpPort, sequence, acknowledged, publishing));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL);
    process.destroyForcibly().waitFor();
    publishing.set(false);
    clients.shutdown();
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));

    process = start(command, dir.resolve("second.log"), httpPort);
    String bootstrap = "127.0.0.1:" + kafkaPort;
    Set<String> stored = ids(bootstrap, "orders", acknowledged, Duration.ofSeconds(30));
    assertTrue(stored.containsAll(acknowledged), "acknowledged but lost: " + difference(acknowledged, stored));
    Set<String> handled = ids(bootstrap, "orders.replies", acknowledged, Duration.ofSeconds(60));
    assertTrue(handled.containsAll(acknowledged), "acknowledged but never handled: " + difference(acknowledged, handled));
    assertTrue(process.isAlive(), "the restarted process is still up");
  }

  private static void publishUntilStopped(int port, AtomicInteger sequence, Set<String> acknowledged, AtomicBoolean publishing) {
    HttpClient http = HttpClient.newHttpClient();
    while (publishing.get()) {
      String id = "order-" + sequence.incrementAndGet();
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/topics/orders"))
            .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/restart-test")
            .header("ce-type", "dev.fnmesh.test.order").header("content-type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 202) {
          acknowledged.add(id);
        }
      } catch (IOException e) {
        // The process was killed mid-request: this event was never acknowledged, so it may be lost.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Process start(List<String> command, Path log, int httpPort) throws IOException {
    Process started = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      assertTrue(started.isAlive(), () -> "fnmesh exited: " + readQuietly(log));
      return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/healthz")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    });
    return started;
  }

  /** Reads every record's id from the topic until all wanted ids were seen or the timeout passed. */
  private static Set<String> ids(String bootstrap, String topic, Set<String> wanted, Duration timeout) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!seen.containsAll(wanted) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          CloudEvent event = CloudEventRecords.fromRecord(record);
          seen.add(event.getId());
        });
      }
    }
    return seen;
  }

  private static Set<String> difference(Set<String> all, Set<String> found) {
    Set<String> missing = new HashSet<>(all);
    missing.removeAll(found);
    return missing;
  }

  private static String readQuietly(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
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
