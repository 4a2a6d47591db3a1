package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /topics/{topic}} writes only to the topics the running mesh declares: a kafka trigger's topic
 * or a topic of {@code topics:}. Any other topic, and fnmesh's and Kafka's own always, is refused with a
 * 404 before anything is created or written.
 */
class DeclaredTopicsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static String consumed;
  private static String audit;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() {
    consumed = KafkaFixture.uniqueTopic("declared-in");
    audit = KafkaFixture.uniqueTopic("declared-audit");
    mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          echo:
            kafka: { topic: %s, partitions: 1 }
            function: echo
        topics:
          %s: { partitions: 3, dataschema: order.schema.json }
        """.formatted(consumed, audit));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void anUndeclaredTopicIsNotFoundNamingTheDeclaredOnesAndIsNotCreated() throws Exception {
    String undeclared = KafkaFixture.uniqueTopic("undeclared");

    HttpResponse<String> response = publish(mesh, undeclared, "u-1", "{}");

    assertProblem(response, 404, "no topic '" + undeclared + "' is declared in the mesh; declared: "
        + String.join(", ", List.of(audit, consumed).stream().sorted().toList()));
    assertFalse(topicNames().contains(undeclared), "a refused topic must not be created");
  }

  @Test
  void aTopicOfTheTopicsSectionIsCreatedWithItsPartitionsAndTakesEventsThatMatchItsDataschema() throws Exception {
    HttpResponse<String> valid = publish(mesh, audit, "a-1", "{\"id\":\"o-1\",\"amount\":150,\"currency\":\"EUR\"}");
    HttpResponse<String> invalid = publish(mesh, audit, "a-2", "{\"id\":\"o-2\",\"amount\":\"lots\"}");

    assertEquals(202, valid.statusCode(), valid.body());
    assertEquals(400, invalid.statusCode(), invalid.body());
    assertEquals("data", new JsonObject(invalid.body()).getString("field"));
    assertTrue(invalid.body().contains("data does not match schema order.schema.json"), invalid.body());
    assertEquals("a-1", TestMesh.readEventWithId(audit, "a-1", WAIT).getId());
    assertEquals(1, TestMesh.recordCount(audit), "the invalid event must not be written");
    try (Admin admin = admin()) {
      assertEquals(3, admin.describeTopics(List.of(audit)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(audit).partitions().size());
    }
  }

  @Test
  void fnmeshsStateTopicIsInternalAndNothingIsWrittenToIt() throws Exception {
    String state = "fnmesh.state";
    createIfMissing(state);
    Map<TopicPartition, Long> before = endOffsets(state);

    HttpResponse<String> response = publish(mesh, state, "s-1", "{}");

    assertProblem(response, 404, "topic 'fnmesh.state' is internal to fnmesh (its state, cron, webhook, cron trigger, "
        + "sequence step and dead-letter topics start with 'fnmesh.') and cannot be published to over HTTP");
    assertEquals(before, endOffsets(state));
  }

  @Test
  void kafkasOwnTopicIsInternalAndTheRefusedEventIsNotAmongItsRecords() throws Exception {
    String offsets = "__consumer_offsets";
    // The mesh's trigger joins a consumer group, which makes Kafka create its offsets topic.
    await().atMost(WAIT).until(() -> topicNames().contains(offsets));
    String id = UUID.randomUUID().toString();
    Map<TopicPartition, Long> before = endOffsets(offsets);

    HttpResponse<String> response = publish(mesh, offsets, id, "{}");

    assertProblem(response, 404, "topic '__consumer_offsets' is internal to Kafka and cannot be published to over HTTP");
    // The trigger's own commits may add records meanwhile; the refused event must not be one of them.
    List<String> ids = idsBetween(offsets, before, endOffsets(offsets));
    assertFalse(ids.contains(id), "the refused event was written to " + offsets);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fnmesh.echo", "fnmesh.echo.dlq", "__transaction_state"})
  void everyInternalTopicIsRefusedWhetherItExistsOrNot(String topic) {
    HttpResponse<String> response = publish(mesh, topic, "i-1", "{}");

    assertEquals(404, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getString("message").contains("is internal to"), response.body());
  }

  @Test
  void aTopicThatAReloadNoLongerDeclaresIsRefusedFromThenOn() {
    String kept = KafkaFixture.uniqueTopic("reload-kept");
    String dropped = KafkaFixture.uniqueTopic("reload-dropped");
    String both = "functions:\n  echo: { java: echo }\ntopics:\n  " + kept + ": { partitions: 1 }\n";
    try (TestMesh reloaded = TestMesh.start(both + "  " + dropped + ": { partitions: 1 }\n")) {
      assertEquals(202, publish(reloaded, dropped, "d-1", "{}").statusCode());

      HttpResponse<String> put = reloaded.send(reloaded.request("/api/mesh").PUT(HttpRequest.BodyPublishers.ofString(both)));
      assertEquals(200, put.statusCode(), put.body());

      for (int n = 2; n <= 4; n++) {
        assertProblem(publish(reloaded, dropped, "d-" + n, "{}"), 404,
            "no topic '" + dropped + "' is declared in the mesh; declared: " + kept);
      }
      assertEquals(202, publish(reloaded, kept, "k-1", "{}").statusCode());
      assertEquals(1, TestMesh.recordCount(dropped), "only the event published while it was declared");
    }
  }

  private static HttpResponse<String> publish(TestMesh target, String topic, String id, String json) {
    return target.send(target.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/declared")
        .header("ce-type", "com.example.order.created").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String message) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(new JsonObject().put("status", status).put("field", "topic").put("message", message),
        new JsonObject(response.body()));
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()));
  }

  private static Set<String> topicNames() throws Exception {
    try (Admin admin = admin()) {
      return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
    }
  }

  /** fnmesh up has no state topic; a controller on the same broker may have made it already. */
  private static void createIfMissing(String topic) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private static Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("ends-" + UUID.randomUUID()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      return consumer.endOffsets(partitions);
    }
  }

  /** The {@code ce_id} of every record of the topic from one set of offsets to another. */
  private static List<String> idsBetween(String topic, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("scan-" + UUID.randomUUID()))) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (from.keySet().stream().anyMatch(partition -> consumer.position(partition) < to.get(partition))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          ids.add(TestMesh.idOf(record));
        }
      }
    }
    return ids;
  }
}
