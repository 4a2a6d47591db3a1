package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.signature.ProviderRecipes;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.broker.webhook.TestWebhooks.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay protection over HTTP, with a fake Kafka and a clock moved by hand: a timestamped request is accepted
 * once; its replay, or the same request once stale, answers 401 and publishes nothing.
 */
class WebhookReplayTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final byte[] EVENT = ("{\"id\":\"evt_1\",\"type\":\"invoice.paid\","
      + "\"data\":{\"object\":{\"id\":\"in_1\"}}}").getBytes(StandardCharsets.UTF_8);
  private static final HmacSpec TIMESTAMPED = new HmacSpec("X-Signature", "sha256", "",
      Optional.of(new HmacTimestamp("X-Timestamp", Duration.ofSeconds(30))));

  private final FakeKafka kafka = new FakeKafka();
  private final MovableClock clock = new MovableClock(NOW);
  private Vertx vertx;
  private WebhookServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    WebhookIngress ingress = new WebhookIngress(new WebhookNormalizer(clock), kafka.publisher(), kafka.topics(),
        64 * 1024, (topic, event) -> Optional.empty(), clock);
    ingress.replace(List.of(TestWebhooks.provider(Provider.STRIPE, "stripe", "fnmesh.stripe", SECRET),
        TestWebhooks.provider(Provider.SLACK, "slack", "fnmesh.slack", SECRET),
        TestWebhooks.hmac("signed", "fnmesh.signed", TIMESTAMPED)));
    server = WebhookServer.serve(vertx, ingress);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> postStripe(String signature) throws Exception {
    return server.post("/webhooks/stripe", EVENT, "Stripe-Signature", signature, "content-type", "application/json");
  }

  private static JsonObject problem(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  @Test
  void aReplayedStripeEventIsUnauthorizedAndPublishedOnlyOnceEvenWithAnotherV1Appended() throws Exception {
    String signature = ProviderRecipes.stripe(SECRET, NOW.getEpochSecond(), EVENT);

    assertEquals(202, postStripe(signature).statusCode());
    HttpResponse<String> replay = postStripe(signature);
    HttpResponse<String> padded = postStripe(signature + ",v1=" + "00".repeat(32));

    assertEquals(401, replay.statusCode(), replay.body());
    assertEquals("Stripe-Signature", problem(replay).getString("field"));
    assertTrue(problem(replay).getString("message").contains("already received"), replay.body());
    assertEquals(401, padded.statusCode(), padded.body());
    assertEquals(1, kafka.published.size());
  }

  @Test
  void onceTheToleranceHasPassedTheSameRequestIsStaleAndANewlySignedOneIsAccepted() throws Exception {
    String signature = ProviderRecipes.stripe(SECRET, NOW.getEpochSecond(), EVENT);
    assertEquals(202, postStripe(signature).statusCode());

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    HttpResponse<String> stale = postStripe(signature);
    HttpResponse<String> fresh = postStripe(ProviderRecipes.stripe(SECRET, clock.instant().getEpochSecond(), EVENT));

    assertEquals(401, stale.statusCode(), stale.body());
    assertTrue(problem(stale).getString("message").contains("stale"), stale.body());
    assertEquals(202, fresh.statusCode(), fresh.body());
    assertEquals(2, kafka.published.size());
  }

  @Test
  void aRequestKafkaDidNotTakeIsForgottenSoItsSenderMayRetryIt() throws Exception {
    String signature = ProviderRecipes.stripe(SECRET, NOW.getEpochSecond(), EVENT);
    kafka.goDown();
    assertEquals(503, postStripe(signature).statusCode());

    kafka.comeBack();

    assertEquals(202, postStripe(signature).statusCode());
    assertEquals(1, kafka.published.size());
  }

  @Test
  void aGenericHmacWithATimestampRefusesAReplayAndAStaleRequestButAcceptsAFreshOne() throws Exception {
    long t = NOW.getEpochSecond();
    String[] headers = {"X-Timestamp", Long.toString(t), "X-Signature", ProviderRecipes.timestamped(SECRET, t, EVENT)};

    assertEquals(202, server.post("/webhooks/signed", EVENT, headers).statusCode());
    HttpResponse<String> replay = server.post("/webhooks/signed", EVENT, headers);
    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> stale = server.post("/webhooks/signed", EVENT, headers);

    assertEquals(401, replay.statusCode());
    assertEquals("X-Signature", problem(replay).getString("field"));
    assertEquals(401, stale.statusCode());
    assertEquals("X-Timestamp", problem(stale).getString("field"));
    assertEquals(1, kafka.published.size());
  }

  @Test
  void aSignedSlackUrlVerificationIsAnsweredWithItsChallengeAndNotPublished() throws Exception {
    byte[] check = ("{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMm\","
        + "\"type\":\"url_verification\"}")
        .getBytes(StandardCharsets.UTF_8);
    long t = NOW.getEpochSecond();

    HttpResponse<String> answer = server.post("/webhooks/slack", check, "X-Slack-Request-Timestamp", Long.toString(t),
        "X-Slack-Signature", ProviderRecipes.slack(SECRET, t, check), "content-type", "application/json");
    HttpResponse<String> unsigned = server.post("/webhooks/slack", check, "X-Slack-Request-Timestamp",
        Long.toString(t), "content-type", "application/json");

    assertEquals(200, answer.statusCode(), answer.body());
    assertEquals(new JsonObject().put("challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMm"), problem(answer));
    assertEquals(401, unsigned.statusCode());
    assertEquals(List.of(), kafka.published);
  }
}
