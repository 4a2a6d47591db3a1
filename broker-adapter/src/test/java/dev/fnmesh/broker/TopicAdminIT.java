package dev.fnmesh.broker;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Topics a trigger needs are created when missing, as the topic policy and their settings say, and used as
 * they are when they exist. The shared broker is a single one: the cluster-sized default gives one replica.
 */
@ExtendWith(KafkaFixture.class)
class TopicAdminIT {

  private Vertx vertx;
  private TopicAdmin topics;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    topics = TopicAdmin.create(vertx, KafkaSettings.of(KafkaFixture.bootstrapServers()));
  }

  @AfterEach
  void stop() throws Exception {
    topics.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMissingTopicIsCreatedWithThePartitionsAskedForAndOneReplicaPerBrokerOnASmallCluster() throws Exception {
    String topic = KafkaFixture.uniqueTopic("created");

    TopicReport report = ensure(topic, TopicSettings.of(3));

    assertEquals(new TopicReport(topic, true, 3, 1, 1), report);
    assertEquals(3, describe(topic).partitions().size());
    assertEquals(1, describe(topic).partitions().get(0).replicas().size());
    assertEquals("1", config(topic).get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
  }

  @Test
  void aTopicsOwnRetentionAndConfigLandOnTheTopic() throws Exception {
    String topic = KafkaFixture.uniqueTopic("configured");

    ensure(topic, new TopicSettings(2, OptionalInt.empty(), Optional.of(Duration.ofHours(6)),
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));

    Config config = config(topic);
    assertEquals(String.valueOf(Duration.ofHours(6).toMillis()), config.get(TopicConfig.RETENTION_MS_CONFIG).value());
    assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
  }

  @Test
  void anExistingTopicWithFewerPartitionsIsUsedAsItIs() throws Exception {
    String topic = KafkaFixture.uniqueTopic("existing");
    KafkaFixture.createTopic(topic, 2);
    // Would wait for partitions that do not exist if the requested count were trusted.
    TopicReport report = ensure(topic, TopicSettings.of(8));

    assertEquals(new TopicReport(topic, false, 2, 1, 1), report);
    assertFalse(report.underReplicated());
  }

  @Test
  void anExistingTopicWithFewerReplicasThanAskedIsUsedAndReported() throws Exception {
    String topic = KafkaFixture.uniqueTopic("thin");
    KafkaFixture.createTopic(topic, 1);

    TopicReport report = ensure(topic, new TopicSettings(1, OptionalInt.of(2), Optional.empty(), Map.of()));

    assertTrue(report.underReplicated());
    assertEquals("topic '" + topic + "' has 1 replica per partition, fewer than the 2 fnmesh creates topics with; it is"
        + " used as it is (raise it with kafka-reassign-partitions.sh)", report.problem());
  }

  @Test
  void aReplicationFactorAboveTheBrokersIsRefusedWithKafkasReason() {
    String topic = KafkaFixture.uniqueTopic("too-many");
    TopicAdmin asking = TopicAdmin.create(vertx,
        KafkaSettings.of(KafkaFixture.bootstrapServers()).withTopics(new TopicPolicy(OptionalInt.of(3))));

    ExecutionException refused = assertThrows(ExecutionException.class, () -> asking.ensureTopic(topic,
        TopicSettings.of(1)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));

    assertTrue(refused.getCause().getMessage().startsWith("Kafka topic '" + topic + "': could not create it: "),
        refused.getCause().getMessage());
    assertTrue(refused.getCause().getMessage().contains("replication factor"), refused.getCause().getMessage());
    asking.close();
  }

  @Test
  void topicsAskedTogetherAreEachCreatedOrFoundAndEveryPartitionIsServedWhenTheirFuturesComplete() throws Exception {
    String existing = KafkaFixture.uniqueTopic("together-existing");
    KafkaFixture.createTopic(existing, 2);
    Map<String, TopicSettings> asked = new LinkedHashMap<>();
    asked.put(existing, TopicSettings.of(8));
    for (int i = 0; i < 6; i++) {
      asked.put(KafkaFixture.uniqueTopic("together-" + i), TopicSettings.of(1 + i));
    }

    Map<String, Future<TopicReport>> ensured = topics.ensureTopics(asked);

    assertEquals(asked.keySet(), ensured.keySet());
    for (Map.Entry<String, Future<TopicReport>> entry : ensured.entrySet()) {
      TopicReport report = entry.getValue().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      boolean found = entry.getKey().equals(existing);
      int partitions = found ? 2 : asked.get(entry.getKey()).partitions();
      assertEquals(new TopicReport(entry.getKey(), !found, partitions, 1, 1), report);
      // Served: every partition's leader answers for it without waiting on anything.
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      IntStream.range(0, partitions).forEach(p -> latest.put(new TopicPartition(entry.getKey(), p), OffsetSpec.latest()));
      try (Admin admin = Admin.create(KafkaSettings.of(KafkaFixture.bootstrapServers()).adminConfig("topic-admin-it"))) {
        assertEquals(partitions, admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(1_000)).all()
            .get(10, TimeUnit.SECONDS).size());
      }
    }
  }

  @Test
  void aTopicKafkaRefusesAmongTopicsAskedTogetherFailsAloneWithKafkasReason() throws Exception {
    String refused = KafkaFixture.uniqueTopic("together-refused");
    String created = KafkaFixture.uniqueTopic("together-created");
    Map<String, TopicSettings> asked = new LinkedHashMap<>();
    asked.put(refused, new TopicSettings(1, OptionalInt.empty(), Optional.empty(),
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "nonsense")));
    asked.put(created, TopicSettings.of(3));

    Map<String, Future<TopicReport>> ensured = topics.ensureTopics(asked);

    assertEquals(new TopicReport(created, true, 3, 1, 1),
        ensured.get(created).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> ensured.get(refused).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertTrue(failure.getCause().getMessage().startsWith("Kafka topic '" + refused + "': could not create it: ")
        && failure.getCause().getMessage().contains("cleanup.policy"), failure.getCause().getMessage());
    // Forgotten, so that asking again goes to Kafka again: still refused, not answered from memory.
    assertThrows(ExecutionException.class, () -> ensure(refused, asked.get(refused)));
  }

  private TopicReport ensure(String topic, TopicSettings settings) throws Exception {
    return topics.ensureTopic(topic, settings).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static TopicDescription describe(String topic) throws Exception {
    try (Admin admin = Admin.create(KafkaSettings.of(KafkaFixture.bootstrapServers()).adminConfig("topic-admin-it"))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
    }
  }

  private static Config config(String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = Admin.create(KafkaSettings.of(KafkaFixture.bootstrapServers()).adminConfig("topic-admin-it"))) {
      return admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
    }
  }
}
