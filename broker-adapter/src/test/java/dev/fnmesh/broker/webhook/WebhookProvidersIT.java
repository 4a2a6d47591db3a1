package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.webhook.signature.ProviderRecipes;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static dev.fnmesh.broker.webhook.TopicRecords.endOffsets;
import static dev.fnmesh.broker.webhook.TopicRecords.readEvents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each provider against the real broker: a request signed as the provider documents lands on the trigger's
 * topic with the mapped attributes; a tampered body, a wrong secret, a stale timestamp (either way) and a
 * replay each answer 401 and write nothing, and the webhook goes on serving.
 */
@ExtendWith(KafkaFixture.class)
class WebhookProvidersIT {

  private static final byte[] STRIPE_SECRET = "whsec_stripe_endpoint_secret".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8);
  private static final String STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final byte[] GITLAB_TOKEN = "gitlab-hook-token".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WRONG_SECRET = "whsec_SGVsbG8sIHRoaXMgaXMgd3Jvbmc=".getBytes(StandardCharsets.UTF_8);

  private static Vertx vertx;
  private static EventPublisher publisher;
  private static TopicAdmin topics;
  private static WebhookServer server;
  private static String stripeTopic;
  private static String slackTopic;
  private static String standardTopic;
  private static String gitlabTopic;
  private static String hmacTopic;

  /** How a sender signs: the headers of a request, given the secret, the signed time and a message id. */
  private interface Signer {
    String[] headers(byte[] secret, long timestamp, String id, byte[] body);
  }

  /** One provider's webhook, the way its sender signs, its n-th distinct body and the headers refusals name. */
  private record Sender(String path, String topic, byte[] secret, Signer signer, IntFunction<byte[]> body,
      String signatureHeader, String timestampHeader, String replayHeader) {

    HttpResponse<String> post(byte[] secret, long timestamp, int n, byte[] sent) throws Exception {
      return server.post("/webhooks/" + path, sent, signer.headers(secret, timestamp, "msg_" + n, body.apply(n)));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
    publisher = EventPublisher.create(vertx, kafka);
    topics = TopicAdmin.create(vertx, kafka);
    stripeTopic = createdTopic("webhook-stripe");
    slackTopic = createdTopic("webhook-slack");
    standardTopic = createdTopic("webhook-standard");
    gitlabTopic = createdTopic("webhook-gitlab");
    hmacTopic = createdTopic("webhook-hmac");
    WebhookIngress ingress = new WebhookIngress(new WebhookNormalizer(), publisher, topics, 64 * 1024,
        (topic, event) -> Optional.empty());
    ingress.replace(List.of(
        TestWebhooks.provider(Provider.STRIPE, "stripe", stripeTopic, STRIPE_SECRET),
        TestWebhooks.provider(Provider.SLACK, "slack", slackTopic, SLACK_SECRET),
        TestWebhooks.provider(Provider.STANDARD_WEBHOOKS, "standard", standardTopic,
            STANDARD_SECRET.getBytes(StandardCharsets.UTF_8)),
        TestWebhooks.provider(Provider.GITLAB, "gitlab", gitlabTopic, GITLAB_TOKEN),
        TestWebhooks.hmac("orders", hmacTopic, new HmacSpec("X-Signature", "sha256", "sha256=",
            Optional.of(new HmacTimestamp("X-Timestamp", Duration.ofMinutes(5)))))));
    server = WebhookServer.serve(vertx, ingress);
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.close().eventually(() -> topics.close())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String createdTopic(String prefix) {
    String topic = KafkaFixture.uniqueTopic(prefix);
    KafkaFixture.createTopic(topic, 1);
    return topic;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertRefused(HttpResponse<String> response, String field) {
    assertEquals(401, response.statusCode(), response.body());
    assertEquals(field, new JsonObject(response.body()).getString("field"), response.body());
  }

  /**
   * Posts delivery 1 signed now, then its forgeries and its replay, then delivery 2: only the two genuine
   * deliveries are written. Delivery n's body is the sender's body n.
   *
   * @return the event of delivery 1
   */
  private static CloudEvent acceptsTheGenuineAndRefusesEveryForgery(Sender sender) throws Exception {
    long now = Instant.now().getEpochSecond();
    // Ten minutes either way: stale whatever the seconds this test takes to get there.
    long stale = 600;
    byte[] first = sender.body().apply(1);
    byte[] tampered = new String(first, StandardCharsets.UTF_8).replace('1', '7').getBytes(StandardCharsets.UTF_8);

    assertEquals(202, sender.post(sender.secret(), now, 1, first).statusCode());
    assertRefused(sender.post(sender.secret(), now, 3, tampered), sender.signatureHeader());
    assertRefused(sender.post(WRONG_SECRET, now, 4, sender.body().apply(4)), sender.signatureHeader());
    assertRefused(sender.post(sender.secret(), now - stale, 5, sender.body().apply(5)), sender.timestampHeader());
    assertRefused(sender.post(sender.secret(), now + stale, 6, sender.body().apply(6)), sender.timestampHeader());
    assertRefused(sender.post(sender.secret(), now, 1, first), sender.replayHeader());
    assertEquals(1, endOffsets(sender.topic()));

    assertEquals(202, sender.post(sender.secret(), now, 2, sender.body().apply(2)).statusCode());
    List<CloudEvent> events = readEvents(sender.topic(), 2);
    assertEquals(2, endOffsets(sender.topic()));
    assertArrayEquals(first, events.get(0).getData().toBytes());
    return events.get(0);
  }

  @Test
  void aStripeEventSignedAsStripeDocumentsLandsWithItsTypeIdAndObjectAndNoForgeryIsWritten() throws Exception {
    CloudEvent event = acceptsTheGenuineAndRefusesEveryForgery(new Sender("stripe", stripeTopic, STRIPE_SECRET,
        (secret, t, id, body) -> new String[] {"Stripe-Signature", ProviderRecipes.stripe(secret, t, body),
            "content-type", "application/json"},
        n -> utf8("{\"id\":\"evt_" + n + "\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
            + "\"data\":{\"object\":{\"id\":\"pi_" + n + "\",\"amount\":2000}}}"),
        "Stripe-Signature", "Stripe-Signature", "Stripe-Signature"));

    assertEquals("com.stripe.payment_intent.succeeded", event.getType());
    assertEquals("evt_1", event.getId());
    assertEquals(URI.create("https://stripe.com"), event.getSource());
    assertEquals("pi_1", event.getSubject());
    assertEquals("application/json", event.getDataContentType());
  }

  @Test
  void aSlackEventSignedAsSlackDocumentsLandsWithItsEventTypeIdTeamAndChannel() throws Exception {
    CloudEvent event = acceptsTheGenuineAndRefusesEveryForgery(new Sender("slack", slackTopic, SLACK_SECRET,
        (secret, t, id, body) -> new String[] {"X-Slack-Request-Timestamp", Long.toString(t),
            "X-Slack-Signature", ProviderRecipes.slack(secret, t, body), "content-type", "application/json"},
        n -> utf8("{\"token\":\"XXYYZZ\",\"team_id\":\"T061EG9R6\",\"type\":\"event_callback\",\"event_id\":\"Ev0"
            + n + "\",\"event\":{\"type\":\"app_mention\",\"channel\":\"C0LAN2Q6" + n + "\",\"text\":\"hi\"}}"),
        "X-Slack-Signature", "X-Slack-Request-Timestamp", "X-Slack-Signature"));

    assertEquals("com.slack.app_mention", event.getType());
    assertEquals("Ev01", event.getId());
    assertEquals(URI.create("https://app.slack.com/client/T061EG9R6"), event.getSource());
    assertEquals("C0LAN2Q61", event.getSubject());
  }

  @Test
  void aStandardWebhookSignedAsTheSpecificationSaysLandsWithItsIdAndTypeAndAReplayedIdIsRefused() throws Exception {
    CloudEvent event = acceptsTheGenuineAndRefusesEveryForgery(new Sender("standard", standardTopic,
        utf8(STANDARD_SECRET),
        (secret, t, id, body) -> new String[] {"webhook-id", id, "webhook-timestamp", Long.toString(t),
            "webhook-signature", ProviderRecipes.standardWebhooks(new String(secret, StandardCharsets.UTF_8), id, t,
            body), "content-type", "application/json"},
        n -> utf8("{\"type\":\"contact.created\",\"timestamp\":\"2022-11-03T20:26:10.344522Z\","
            + "\"data\":{\"id\":\"" + n + "f81eb52\"}}"),
        "webhook-signature", "webhook-timestamp", "webhook-id"));

    assertEquals("contact.created", event.getType());
    assertEquals("msg_1", event.getId());
    assertEquals(URI.create("/webhooks/standard"), event.getSource());
  }

  @Test
  void aGenericHmacWithATimestampRefusesForgeriesStaleAndReplayedRequests() throws Exception {
    CloudEvent event = acceptsTheGenuineAndRefusesEveryForgery(new Sender("orders", hmacTopic, TestWebhooks.SECRET,
        (secret, t, id, body) -> new String[] {"X-Timestamp", Long.toString(t),
            "X-Signature", "sha256=" + ProviderRecipes.timestamped(secret, t, body)},
        n -> utf8("{\"order\":" + n + "}"),
        "X-Signature", "X-Timestamp", "X-Signature"));

    assertEquals(WebhookNormalizer.DEFAULT_TYPE, event.getType());
    assertEquals(URI.create("/webhooks/orders"), event.getSource());
  }

  @Test
  void aGitlabPushWithTheSecretTokenLandsWithItsKindUuidAndProjectAndAWrongOrMissingTokenWritesNothing()
      throws Exception {
    byte[] push = utf8("{\"object_kind\":\"push\",\"checkout_sha\":\"da1560886d4f094c3e6c9ef40349f7d38b5d27d7\","
        + "\"project\":{\"web_url\":\"https://gitlab.example.com/mike/diaspora\"}}");

    HttpResponse<String> wrong = server.post("/webhooks/gitlab", push, "X-Gitlab-Token", "gitlab-hook-tokeN",
        "X-Gitlab-Event", "Push Hook", "content-type", "application/json");
    HttpResponse<String> missing = server.post("/webhooks/gitlab", push, "X-Gitlab-Event", "Push Hook");
    assertRefused(wrong, "X-Gitlab-Token");
    assertRefused(missing, "X-Gitlab-Token");
    assertEquals(0, endOffsets(gitlabTopic));

    HttpResponse<String> genuine = server.post("/webhooks/gitlab", push, "X-Gitlab-Token", "gitlab-hook-token",
        "X-Gitlab-Event", "Push Hook", "X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e",
        "content-type", "application/json");

    assertEquals(202, genuine.statusCode(), genuine.body());
    CloudEvent event = readEvents(gitlabTopic, 1).get(0);
    assertEquals("com.gitlab.push", event.getType());
    assertEquals("13792a34-cac6-4fda-95a8-c58e00a3954e", event.getId());
    assertEquals(URI.create("https://gitlab.example.com/mike/diaspora"), event.getSource());
    assertArrayEquals(push, event.getData().toBytes());
    assertEquals(1, endOffsets(gitlabTopic));
  }
}
