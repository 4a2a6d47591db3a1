package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.kafka.fixture.KafkaClusterFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh on a cluster of three brokers: its topics are replicated on all three and take writes with one of
 * them away, a topic's own settings land on it, and a topic that exists with fewer replicas is used and said so.
 */
class ReplicatedTopicsIT {

  @RegisterExtension
  static final KafkaClusterFixture CLUSTER = KafkaClusterFixture.withBrokers(3);

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Mesh mesh;
  private static Admin admin;

  @BeforeAll
  static void startMesh() throws Exception {
    admin = Admin.create(KafkaSettings.of(CLUSTER.bootstrapServers()).adminConfig("replicated-topics-it"));
    // Made by someone else, before the mesh, with a single copy.
    admin.createTopics(List.of(new NewTopic("thin", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    Path file = Files.createTempFile("mesh", ".yaml");
    Files.writeString(file, """
        functions:
          echo: { java: echo }
        triggers:
          echo:
            kafka: { topic: orders, partitions: 4 }
            function: echo
            reply: { topic: orders.replies }
          tuned:
            kafka: { topic: tuned, partitions: 2, replicationFactor: 2, retention: PT6H, config: { cleanup.policy: compact } }
            function: echo
          thin:
            kafka: { topic: thin, partitions: 1 }
            function: echo
        topics:
          audit: { partitions: 1, replicationFactor: 1, retention: P1D, config: { max.message.bytes: 2097152 } }
        """);
    mesh = Mesh.start(new MeshOptions(file, HttpPortSettings.loopback(0), 0,
        Optional.of(KafkaSettings.of(CLUSTER.bootstrapServers())), Files.createTempDirectory("fnmesh-data"),
        Path.of("../examples/schemas"), Path.of("../functions"), IngressSettings.defaults(), Duration.ZERO,
        Optional.of(ClusterKey.of(ClusterKey.generateText(), "the test")), false));
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void everyTopicTheMeshCreatesHasThreeReplicasAndTakesWritesOnTwo() throws Exception {
    for (String topic : List.of("orders", "orders.replies", "fnmesh.echo.dlq", "fnmesh.cron.state")) {
      assertEquals(Set.of(3), replicaCounts(topic), topic);
      assertEquals("2", config(topic).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value(), topic);
    }
  }

  @Test
  void aTopicsOwnReplicationRetentionAndConfigLandOnIt() throws Exception {
    assertEquals(Set.of(2), replicaCounts("tuned"));
    Config tuned = config("tuned");
    assertEquals("1", tuned.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
    assertEquals(String.valueOf(Duration.ofHours(6).toMillis()), tuned.get(TopicConfig.RETENTION_MS_CONFIG).value());
    assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, tuned.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());

    // A topic of topics: is created by the first event published to it.
    assertEquals(202, publish("audit", "a-1").statusCode());
    assertEquals(Set.of(1), replicaCounts("audit"));
    Config audit = config("audit");
    assertEquals(String.valueOf(Duration.ofDays(1).toMillis()), audit.get(TopicConfig.RETENTION_MS_CONFIG).value());
    assertEquals("2097152", audit.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
  }

  @Test
  void aTopicThatExistsWithFewerReplicasIsUsedAndShownInApiTriggers() throws Exception {
    HttpResponse<String> response = HTTP.send(request("/api/triggers").GET().build(),
        HttpResponse.BodyHandlers.ofString());

    JsonObject thin = trigger(response, "thin");
    assertEquals("running", thin.getString("state"));
    assertEquals(new JsonArray().add("topic 'thin' has 1 replica per partition, fewer than the 3 fnmesh creates topics"
        + " with; it is used as it is (raise it with kafka-reassign-partitions.sh)"), thin.getJsonArray("warnings"));
    assertEquals(new JsonArray(), trigger(response, "echo").getJsonArray("warnings"));
  }

  @Test
  void eventsPublishedOverHttpKeepReachingTheTriggerWhileABrokerIsStopped() throws Exception {
    publishAll("before", 20);
    int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
    // A broker that leads partitions of the topic: their leadership moves; the quorum keeps its leader.
    int stopped = leaders("orders").stream().filter(leader -> leader != controller).findFirst()
        .orElseGet(() -> CLUSTER.brokerIds().stream().filter(id -> id != controller).findFirst().orElseThrow());
    CLUSTER.stopBroker(stopped);
    try {
      publishAll("away", 20);

      Set<String> replied = repliedIds(40);
      IntStream.range(0, 20).forEach(i -> {
        assertTrue(replied.contains("before-" + i), "before-" + i);
        assertTrue(replied.contains("away-" + i), "away-" + i);
      });
    } finally {
      CLUSTER.startBroker(stopped);
    }
  }

  private static void publishAll(String prefix, int count) {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = publish("orders", prefix + "-" + i);
      assertEquals(202, response.statusCode(), response.body());
    }
  }

  private static HttpResponse<String> publish(String topic, String id) {
    try {
      return HTTP.send(request("/topics/" + topic).header("ce-specversion", "1.0").header("ce-id", id)
          .header("ce-source", "/replicated").header("ce-type", "t").header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("publishing " + id + " failed", e);
    }
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mesh.httpPort() + path)).timeout(WAIT);
  }

  private static JsonObject trigger(HttpResponse<String> response, String name) {
    JsonArray triggers = new JsonObject(response.body()).getJsonArray("triggers");
    return IntStream.range(0, triggers.size()).mapToObj(triggers::getJsonObject)
        .filter(trigger -> trigger.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no trigger " + name + " in " + response.body()));
  }

  /** The ids of the replies on orders.replies, read until {@code count} arrived or the wait is over. */
  private static Set<String> repliedIds(int count) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, CLUSTER.bootstrapServers(),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor("orders.replies").stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (ids.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          var id = record.headers().lastHeader("ce_id");
          if (id != null) {
            ids.add(new String(id.value(), StandardCharsets.UTF_8));
          }
        });
      }
    }
    return ids;
  }

  private static TopicDescription describe(String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
  }

  private static Set<Integer> replicaCounts(String topic) throws Exception {
    Set<Integer> counts = new HashSet<>();
    describe(topic).partitions().forEach(partition -> counts.add(partition.replicas().size()));
    return counts;
  }

  private static Set<Integer> leaders(String topic) throws Exception {
    Set<Integer> leaders = new HashSet<>();
    for (TopicPartitionInfo partition : describe(topic).partitions()) {
      if (partition.leader() != null) {
        leaders.add(partition.leader().id());
      }
    }
    return leaders;
  }

  private static Config config(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
  }
}
