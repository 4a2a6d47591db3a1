package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.DedupSettings;
import dev.fnmesh.mesh.ValueSpec;
import dev.fnmesh.mesh.WebhookSource;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.broker.webhook.TopicRecords.endOffsets;
import static dev.fnmesh.broker.webhook.TopicRecords.readEvents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Webhooks against the real broker: what is accepted is on the topic as a CloudEvent, what is refused is not. */
@ExtendWith(KafkaFixture.class)
class WebhookIngressIT {

  private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
  // Pretty-printed and non-ASCII on purpose: the data must be these bytes, not a re-serialization of them.
  private static final byte[] PUSH = ("{\n  \"ref\": \"refs/heads/main\",\n  \"pusher\": {\"name\": \"Zoë\"},\n"
      + "  \"repository\": {\"full_name\": \"o/r\", \"html_url\": \"https://github.com/o/r\"}\n}\n")
      .getBytes(StandardCharsets.UTF_8);

  private static Vertx vertx;
  private static EventPublisher publisher;
  private static TopicAdmin topics;
  private static WebhookIngress ingress;
  private static WebhookServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
    publisher = EventPublisher.create(vertx, kafka);
    topics = TopicAdmin.create(vertx, kafka);
    ingress = new WebhookIngress(new WebhookNormalizer(), publisher, topics, 64 * 1024, (topic, event) -> Optional.empty());
    server = WebhookServer.serve(vertx, ingress);
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.close().eventually(() -> topics.close())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private HttpResponse<String> githubPush(String delivery, byte[] signedBody, byte[] sentBody) throws Exception {
    return server.postGithub("push", delivery, signedBody, sentBody, "User-Agent", "GitHub-Hookshot/044aadd");
  }

  @Test
  void aGithubSignedPushIsAcceptedAndLandsOnTheTopicAsACloudEvent() throws Exception {
    String topic = KafkaFixture.uniqueTopic("webhook-github");
    ingress.replace(List.of(TestWebhooks.github("github", topic)));

    HttpResponse<String> response = githubPush(DELIVERY, PUSH, PUSH);

    assertEquals(202, response.statusCode(), response.body());
    assertEquals(new JsonObject().put("id", DELIVERY).put("topic", topic), new JsonObject(response.body()));
    CloudEvent event = readEvents(topic, 1).get(0);
    assertEquals("1.0", event.getSpecVersion().toString());
    assertEquals("com.github.push", event.getType());
    assertEquals(DELIVERY, event.getId());
    assertEquals(URI.create("https://github.com/o/r"), event.getSource());
    assertEquals("application/json", event.getDataContentType());
    assertNotNull(event.getTime());
    assertArrayEquals(PUSH, event.getData().toBytes());
  }

  @Test
  void aTamperedBodyAndAMissingSignatureAreRefusedAndWriteNothing() throws Exception {
    String topic = KafkaFixture.uniqueTopic("webhook-refused");
    KafkaFixture.createTopic(topic, 1);
    ingress.replace(List.of(TestWebhooks.github("github", topic)));
    byte[] tampered = new String(PUSH, StandardCharsets.UTF_8).replace("main", "evil").getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> forged = githubPush("forged", PUSH, tampered);
    HttpResponse<String> unsigned = server.post("/webhooks/github", PUSH, "X-GitHub-Event", "push",
        "X-GitHub-Delivery", "unsigned", "content-type", "application/json");

    assertEquals(401, forged.statusCode(), forged.body());
    assertEquals("X-Hub-Signature-256", new JsonObject(forged.body()).getString("field"));
    assertEquals(401, unsigned.statusCode(), unsigned.body());
    assertEquals("X-Hub-Signature-256", new JsonObject(unsigned.body()).getString("field"));
    assertEquals(0, endOffsets(topic));
    // The topic is writable: a correctly signed delivery after the refusals is the only record on it.
    assertEquals(202, githubPush(DELIVERY, PUSH, PUSH).statusCode());
    assertEquals(1, endOffsets(topic));
    assertEquals(DELIVERY, readEvents(topic, 1).get(0).getId());
  }

  @Test
  void aWebhookWithDedupWritesARedeliveryOnceAndAnswersItAsADuplicate() throws Exception {
    String topic = KafkaFixture.uniqueTopic("webhook-dedup");
    WebhookSource generic = TestWebhooks.source("deduped", Optional.empty(), TestWebhooks.values(null, null, null,
        TestWebhooks.header("X-Delivery")), Optional.empty(), Optional.empty());
    WebhookSource deduped = new WebhookSource(generic.path(), generic.provider(), generic.type(), generic.source(),
        generic.subject(), generic.id(), generic.hmac(), generic.secret(),
        Optional.of(new DedupSettings(Duration.ofMinutes(10))));
    ingress.replace(List.of(TestWebhooks.trigger("hook", deduped, topic, Optional.empty())));
    byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> first = server.post("/webhooks/deduped", body, "X-Delivery", "d-1", "content-type", "application/json");
    HttpResponse<String> again = server.post("/webhooks/deduped", body, "X-Delivery", "d-1", "content-type", "application/json");
    HttpResponse<String> next = server.post("/webhooks/deduped", body, "X-Delivery", "d-2", "content-type", "application/json");

    assertEquals(202, first.statusCode(), first.body());
    assertEquals(false, new JsonObject(first.body()).getBoolean("duplicate"));
    assertEquals(202, again.statusCode(), again.body());
    assertEquals(new JsonObject().put("id", "d-1").put("topic", topic).put("duplicate", true), new JsonObject(again.body()));
    assertEquals(202, next.statusCode(), next.body());
    assertEquals(List.of("d-1", "d-2"), readEvents(topic, 2).stream().map(CloudEvent::getId).sorted().toList());
    assertEquals(2, endOffsets(topic));
  }

  @Test
  void aGenericWebhookMapsHeaderPointerAndConstant() throws Exception {
    String topic = KafkaFixture.uniqueTopic("webhook-generic");
    ingress.replace(List.of(TestWebhooks.generic("orders", topic, TestWebhooks.values(
        ValueSpec.constant("com.example.order.created"), TestWebhooks.header("X-Shop", "urn:shop:"),
        TestWebhooks.pointer("/order/id", "order-"), TestWebhooks.header("X-Request-Id")))));
    byte[] order = "{\"order\":{\"id\":42,\"total\":9.5}}".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> response = server.post("/webhooks/orders", order, "X-Shop", "berlin", "X-Request-Id", "req-7",
        "content-type", "application/json; charset=utf-8");

    assertEquals(202, response.statusCode(), response.body());
    CloudEvent event = readEvents(topic, 1).get(0);
    assertEquals("com.example.order.created", event.getType());
    assertEquals(URI.create("urn:shop:berlin"), event.getSource());
    assertEquals("order-42", event.getSubject());
    assertEquals("req-7", event.getId());
    assertEquals("application/json; charset=utf-8", event.getDataContentType());
    assertArrayEquals(order, event.getData().toBytes());
  }

  @Test
  void anUnknownPathIsNotFound() throws Exception {
    ingress.replace(List.of(TestWebhooks.github("github", KafkaFixture.uniqueTopic("webhook-unused"))));

    HttpResponse<String> response = server.post("/webhooks/gitlab", PUSH, "content-type", "application/json");

    assertEquals(404, response.statusCode(), response.body());
    assertEquals("path", new JsonObject(response.body()).getString("field"));
  }
}
