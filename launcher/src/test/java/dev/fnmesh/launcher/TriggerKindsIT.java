package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhook and cron sources, filters and typed events, each end to end through a running mesh. */
class TriggerKindsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SECRET = "It's a Secret to Everybody";
  private static final String P = KafkaFixture.uniqueTopic("kinds");
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() throws Exception {
    Path secretFile = Files.createTempFile("github", ".secret");
    Files.writeString(secretFile, SECRET + "\n");
    mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          push:
            webhook: { path: %1$s, provider: github, secret: { file: %2$s } }
            topic: %1$s.push
            function: echo
            reply: { topic: %1$s.push.replies }
          tick:
            cron: { schedule: "@every 1s", data: { job: cleanup } }
            topic: %1$s.tick
            function: echo
            reply: { topic: %1$s.tick.replies }
          big:
            kafka: { topic: %1$s.orders, partitions: 1 }
            filter: { sql: "type LIKE 'com.example.%%' AND amount > 100" }
            function: echo
            reply: { topic: %1$s.big.replies }
          typed:
            kafka: { topic: %1$s.typed, partitions: 1 }
            dataschema: order.schema.json
            function: echo
            reply: { topic: %1$s.typed.replies }
        """.formatted(P, secretFile));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void aGithubSignedWebhookBecomesAnEventAndATamperedOneIsRefused() throws Exception {
    byte[] body = "{\"ref\":\"refs/heads/main\",\"repository\":{\"html_url\":\"https://github.com/acme/shop\"}}"
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> accepted = mesh.send(github(body, sign(body)));
    HttpResponse<String> tampered = mesh.send(github("{\"ref\":\"refs/heads/evil\"}".getBytes(), sign(body)));

    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals(401, tampered.statusCode(), tampered.body());
    CloudEvent reply = TestMesh.readEventsWithIds(P + ".push.replies", List.of("delivery-1"), WAIT).get(0);
    assertEquals("com.github.push", reply.getType());
    assertEquals(URI.create("https://github.com/acme/shop"), reply.getSource());
    assertArrayEquals(body, reply.getData().toBytes());
    assertEquals(1, TestMesh.recordCount(P + ".push"), "the tampered request wrote nothing");
  }

  @Test
  void aCronTriggerFiresOnceEveryScheduledSecond() {
    List<CloudEvent> ticks = TestMesh.readEvents(P + ".tick.replies", 3, WAIT);

    assertTrue(ticks.size() >= 3, "ticks: " + ticks);
    Set<String> ids = ticks.stream().map(CloudEvent::getId).collect(Collectors.toSet());
    assertEquals(ticks.size(), ids.size(), "one event per tick: " + ids);
    for (CloudEvent tick : ticks) {
      assertEquals("dev.fnmesh.cron.tick", tick.getType());
      assertEquals(0, tick.getTime().getNano(), "time is the scheduled instant, a whole second: " + tick.getTime());
      assertEquals("{\"job\":\"cleanup\"}", new String(tick.getData().toBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aSqlFilterLetsOnlyMatchingEventsReachTheFunction() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      producer.send(CloudEventRecords.toRecord(P + ".orders", order("small", "com.example.order", 50), null)).get();
      producer.send(CloudEventRecords.toRecord(P + ".orders", order("other", "org.other.order", 500), null)).get();
      producer.send(CloudEventRecords.toRecord(P + ".orders", order("large", "com.example.order", 500), null)).get();
    }

    List<CloudEvent> replies = TestMesh.readEventsWithIds(P + ".big.replies", List.of("large"), WAIT);
    assertEquals(List.of("large"), replies.stream().map(CloudEvent::getId).toList());
    await().atMost(WAIT).until(() -> filteredCount("big") == 2);
  }

  @Test
  void typedEventsWithInvalidDataAreRefusedAtTheIngressAndDeadLetteredFromKafka() throws Exception {
    HttpResponse<String> invalid = publishOrder("bad-http", "{\"id\":\"o1\",\"amount\":\"ten\",\"currency\":\"EUR\"}");
    HttpResponse<String> valid = publishOrder("good-http", "{\"id\":\"o2\",\"amount\":10,\"currency\":\"EUR\"}");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      CloudEvent bad = CloudEventBuilder.v1().withId("bad-kafka").withSource(URI.create("/t")).withType("t")
          .withData("application/json", "{\"id\":\"o3\"}".getBytes()).build();
      producer.send(CloudEventRecords.toRecord(P + ".typed", bad, null)).get();
    }

    assertEquals(400, invalid.statusCode());
    assertEquals("data", new JsonObject(invalid.body()).getString("field"));
    assertTrue(invalid.body().contains("amount"), invalid.body());
    assertEquals(202, valid.statusCode(), valid.body());
    assertEquals("good-http", TestMesh.readEventsWithIds(P + ".typed.replies", List.of("good-http"), WAIT).get(0).getId());
    CloudEvent letter = TestMesh.readEventsWithIds("fnmesh.typed.dlq", List.of("bad-kafka"), WAIT).stream()
        .filter(e -> e.getId().equals("bad-kafka")).findFirst().orElseThrow();
    assertEquals("invalid-data", letter.getExtension("fnmesherrorcode"));
  }

  private static HttpResponse<String> publishOrder(String id, String json) {
    return mesh.send(mesh.request("/topics/" + P + ".typed").header("ce-specversion", "1.0").header("ce-id", id)
        .header("ce-source", "/shop").header("ce-type", "com.example.order").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static CloudEvent order(String id, String type, int amount) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop")).withType(type)
        .withExtension("amount", amount).build();
  }

  private static long filteredCount(String trigger) {
    JsonObject body = new JsonObject(mesh.send(mesh.request("/api/triggers").GET()).body());
    return body.getJsonArray("triggers").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("name").equals(trigger)).findFirst().orElseThrow()
        .getJsonObject("events").getLong("filtered");
  }

  private static HttpRequest.Builder github(byte[] body, String signature) {
    return mesh.request("/webhooks/" + P).header("X-GitHub-Event", "push").header("X-GitHub-Delivery", "delivery-1")
        .header("X-Hub-Signature-256", signature).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private static String sign(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
