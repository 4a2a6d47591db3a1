package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.fixture.KafkaClusterFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short FaultBench (see bench/): a broker that leads partitions of a trigger's topic is stopped while HTTP
 * clients publish to it without a pause, and started again; every event a client saw acknowledged has a reply
 * afterwards, and no request hangs or fails otherwise than with a 503.
 */
class FaultsIT {

  @RegisterExtension
  static final KafkaClusterFixture CLUSTER = KafkaClusterFixture.withBrokers(3);

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CLIENTS = 3;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Mesh mesh;

  // Written by the client threads: every answer's status by event id, and the 202s.
  private final Map<String, Integer> answers = new ConcurrentHashMap<>();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private volatile boolean publishing = true;

  @BeforeAll
  static void startMesh() throws Exception {
    Path file = Files.writeString(Files.createTempFile("mesh", ".yaml"), """
        functions:
          echo: { java: echo }
        triggers:
          steady:
            kafka: { topic: steady.in, partitions: 6 }
            function: echo
            reply: { topic: steady.replies }
        """);
    mesh = Mesh.start(new MeshOptions(file, HttpPortSettings.loopback(0), 0,
        Optional.of(KafkaSettings.of(CLUSTER.bootstrapServers())), Files.createTempDirectory("fnmesh-data"),
        Path.of("../examples/schemas"), Path.of("../functions"), IngressSettings.defaults(), Duration.ZERO,
        Optional.empty(), false));
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void noAcknowledgedEventIsLostWhileAPartitionLeaderBrokerIsStoppedAndStartedUnderLoad() throws Exception {
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread thread = new Thread(() -> publish(client), "faults-it-client-" + c);
      thread.setDaemon(true);
      thread.start();
      clients.add(thread);
    }
    int stopped = partitionLeader("steady.in");
    try {
      await("100 acknowledged before the fault", () -> acknowledged.get() >= 100);
      CLUSTER.stopBroker(stopped);
      int atStop = acknowledged.get();
      await("200 acknowledged with broker " + stopped + " away", () -> acknowledged.get() >= atStop + 200);
    } finally {
      CLUSTER.startBroker(stopped);
    }
    int atStart = acknowledged.get();
    await("100 acknowledged after the broker is back", () -> acknowledged.get() >= atStart + 100);
    publishing = false;
    for (Thread client : clients) {
      client.join(WAIT.toMillis());
    }

    Set<String> acked = new HashSet<>();
    answers.forEach((id, status) -> {
      if (status == 202) {
        acked.add(id);
      }
    });
    Map<String, Integer> replies = repliesFor(acked);
    Set<String> lost = new HashSet<>(acked);
    lost.removeAll(replies.keySet());
    assertEquals(Set.of(), lost, "acknowledged events without a reply, of " + acked.size());
    Map<Integer, Long> otherAnswers = new HashMap<>();
    answers.values().stream().filter(status -> status != 202 && status != 503)
        .forEach(status -> otherAnswers.merge(status, 1L, Long::sum));
    assertEquals(Map.of(), otherAnswers, "answers other than 202 and 503 (-1: none within 10 s)");
  }

  private void publish(int client) {
    for (int n = 0; publishing; n++) {
      String id = "c" + client + "-" + n;
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.httpPort() + "/topics/steady.in"))
          .timeout(Duration.ofSeconds(10)).header("ce-specversion", "1.0").header("ce-id", id)
          .header("ce-source", "/faults-it").header("ce-type", "t").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
      int status;
      try {
        status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (Exception e) {
        status = -1;
      }
      answers.put(id, status);
      if (status == 202) {
        acknowledged.incrementAndGet();
      }
    }
  }

  /** Reply counts by event id, read until every one of {@code ids} replied or the wait is over. */
  private static Map<String, Integer> repliesFor(Set<String> ids) {
    Map<String, Integer> counts = new HashMap<>();
    var config = KafkaSettings.of(CLUSTER.bootstrapServers()).consumerConfig("faults-it", "faults-it", "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor("steady.replies").stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!counts.keySet().containsAll(ids) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          Header id = record.headers().lastHeader("ce_id");
          counts.merge(id == null ? "" : new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        });
      }
    }
    return counts;
  }

  /** A broker leading partitions of the topic that is not the controller quorum's leader. */
  private static int partitionLeader(String topic) throws Exception {
    try (Admin admin = Admin.create(KafkaSettings.of(CLUSTER.bootstrapServers()).adminConfig("faults-it"))) {
      int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
          .stream().map(partition -> partition.leader()).filter(Objects::nonNull).map(Node::id)
          .filter(id -> id != controller).findFirst().orElseThrow();
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
