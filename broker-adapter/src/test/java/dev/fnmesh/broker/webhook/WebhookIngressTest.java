package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.webhook.signature.ProviderRecipes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.broker.webhook.TestWebhooks.SECRET;
import static dev.fnmesh.broker.webhook.TestWebhooks.generic;
import static dev.fnmesh.broker.webhook.TestWebhooks.github;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP behaviour of the webhook ingress, with a fake Kafka: what is answered and what is published. */
class WebhookIngressTest {

  private static final int MAX_BODY = 1024;
  private static final byte[] BODY = "{\"repository\":{\"html_url\":\"https://github.com/o/r\"}}"
      .getBytes(StandardCharsets.UTF_8);

  private final FakeKafka kafka = new FakeKafka();
  private Vertx vertx;
  private WebhookIngress ingress;
  private WebhookServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ingress = new WebhookIngress(new WebhookNormalizer(), kafka.publisher(), kafka.topics(), MAX_BODY,
        (topic, event) -> "com.github.forbidden".equals(event.getType())
            ? Optional.of(EventProblem.badRequest("data", "data does not match schema x"))
            : Optional.empty());
    ingress.replace(List.of(github("github", "fnmesh.push")));
    server = WebhookServer.serve(vertx, ingress);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> githubPush(String event, byte[] signedBody, byte[] sentBody) throws Exception {
    return server.postGithub(event, "d-1", signedBody, sentBody);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    JsonObject problem = new JsonObject(response.body());
    assertEquals(status, problem.getInteger("status"));
    assertEquals(field, problem.getString("field"), response.body());
  }

  @Test
  void aSignedRequestIsPublishedToItsTopicAndAnsweredWithIdAndTopic() throws Exception {
    HttpResponse<String> response = githubPush("push", BODY, BODY);

    assertEquals(202, response.statusCode(), response.body());
    assertEquals(new JsonObject().put("id", "d-1").put("topic", "fnmesh.push"), new JsonObject(response.body()));
    assertEquals(List.of("fnmesh.push"), kafka.ensuredTopics);
    assertEquals(1, kafka.published.size());
    assertEquals("com.github.push", kafka.published.get(0).event().getType());
  }

  @Test
  void anUnknownPathIsNotFoundAndPublishesNothing() throws Exception {
    assertProblem(server.post("/webhooks/gitlab", BODY), 404, "path");
    assertEquals(List.of(), kafka.published);
  }

  @Test
  void aTamperedBodyIsUnauthorizedAndTouchesNoTopic() throws Exception {
    assertProblem(githubPush("push", BODY, "{\"repository\":{}}".getBytes(StandardCharsets.UTF_8)),
        401, "X-Hub-Signature-256");
    assertEquals(List.of(), kafka.ensuredTopics);
    assertEquals(List.of(), kafka.published);
  }

  @Test
  void aMissingSignatureIsUnauthorized() throws Exception {
    assertProblem(server.post("/webhooks/github", BODY, "X-GitHub-Event", "push", "X-GitHub-Delivery", "d"),
        401, "X-Hub-Signature-256");
    assertEquals(List.of(), kafka.published);
  }

  @Test
  void aRequestTheMappingsCannotReadIsABadRequestNamingTheMapping() throws Exception {
    HttpResponse<String> response = server.post("/webhooks/github", BODY, "X-GitHub-Delivery", "d",
        "X-Hub-Signature-256", ProviderRecipes.github(SECRET, BODY));
    assertProblem(response, 400, "type");
    assertEquals("type: header X-GitHub-Event is missing", new JsonObject(response.body()).getString("message"));
    assertEquals(List.of(), kafka.published);
  }

  @Test
  void anEventTheValidatorRefusesIsAnsweredWithItsProblem() throws Exception {
    assertProblem(githubPush("forbidden", BODY, BODY), 400, "data");
    assertEquals(List.of(), kafka.published);
  }

  @Test
  void aBodyAboveTheLimitIsTooLarge() throws Exception {
    assertProblem(server.post("/webhooks/github", new byte[MAX_BODY + 1]), 413, "body");
    assertEquals(List.of(), kafka.published);
  }

  @Test
  void whenKafkaDoesNotAcknowledgeTheAnswerIsServiceUnavailable() throws Exception {
    kafka.goDown();
    HttpResponse<String> response = githubPush("push", BODY, BODY);
    assertProblem(response, 503, "kafka");
    assertTrue(response.body().contains("retry"), response.body());
  }

  @Test
  void replacingTheWebhooksServesExactlyTheNewSet() throws Exception {
    ingress.replace(List.of(generic("orders", "orders", TestWebhooks.NO_VALUES)));

    assertProblem(githubPush("push", BODY, BODY), 404, "path");
    assertEquals(202, server.post("/webhooks/orders", BODY).statusCode());
    assertEquals("orders", kafka.published.get(0).topic());
  }

  @Test
  void twoWebhooksOnOnePathAreRefusedAndTheServedSetStays() throws Exception {
    var e = assertThrows(IllegalArgumentException.class, () -> ingress.replace(List.of(
        generic("same", "a", TestWebhooks.NO_VALUES), github("same", "b"))));
    assertEquals("webhook path 'same' is used by triggers hook and push; each webhook needs its own path",
        e.getMessage());
    assertEquals(202, githubPush("push", BODY, BODY).statusCode());
  }
}
