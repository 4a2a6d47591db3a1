package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.mesh.ValueSpec;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import static dev.fnmesh.broker.webhook.TestWebhooks.generic;
import static dev.fnmesh.broker.webhook.TestWebhooks.github;
import static dev.fnmesh.broker.webhook.TestWebhooks.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WebhookNormalizerTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final byte[] PUSH =
      "{\"ref\":\"refs/heads/main\",\"size\":3,\"repository\":{\"html_url\":\"https://github.com/o/r\"}}"
          .getBytes(StandardCharsets.UTF_8);

  private final WebhookNormalizer normalizer = new WebhookNormalizer(Clock.fixed(NOW, ZoneOffset.UTC));

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private CloudEvent accepted(WebhookTrigger settings, MultiMap headers, byte[] body) {
    Normalized result = normalizer.normalize(settings, headers, body);
    if (result instanceof Normalized.Refused refused) {
      throw new AssertionError("refused: " + refused.problem());
    }
    return ((Normalized.Accepted) result).event();
  }

  private EventProblem refused(WebhookTrigger settings, MultiMap headers, byte[] body) {
    Normalized result = normalizer.normalize(settings, headers, body);
    if (result instanceof Normalized.Accepted accepted) {
      throw new AssertionError("accepted: " + accepted.event());
    }
    return ((Normalized.Refused) result).problem();
  }

  @Test
  void githubPresetTakesTypeFromTheEventHeaderIdFromTheDeliveryAndSourceFromTheRepository() {
    CloudEvent event = accepted(github("github", "t"), headers("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1",
        "content-type", "application/json"), PUSH);

    assertEquals("com.github.push", event.getType());
    assertEquals("d-1", event.getId());
    assertEquals(URI.create("https://github.com/o/r"), event.getSource());
    assertNull(event.getSubject());
    assertEquals("1.0", event.getSpecVersion().toString());
    assertEquals(NOW, event.getTime().toInstant());
    assertEquals("application/json", event.getDataContentType());
    assertArrayEquals(PUSH, event.getData().toBytes());
  }

  @Test
  void githubSourceFallsBackToTheWebhookPathWhenThePayloadNamesNoRepository() {
    byte[] ping = "{\"zen\":\"Keep it simple.\"}".getBytes(StandardCharsets.UTF_8);
    CloudEvent event = accepted(github("gh", "t"), headers("X-GitHub-Event", "ping", "X-GitHub-Delivery", "d"), ping);
    assertEquals(URI.create("/webhooks/gh"), event.getSource());
  }

  @Test
  void githubSourceFallsBackWhenTheBodyIsFormEncoded() {
    byte[] form = "payload=%7B%7D".getBytes(StandardCharsets.UTF_8);
    CloudEvent event = accepted(github("gh", "t"), headers("X-GitHub-Event", "push", "X-GitHub-Delivery", "d",
        "content-type", "application/x-www-form-urlencoded"), form);
    assertEquals(URI.create("/webhooks/gh"), event.getSource());
    assertEquals("application/x-www-form-urlencoded", event.getDataContentType());
  }

  @Test
  void githubRequestWithoutEventHeaderIsRefusedNamingTheMapping() {
    EventProblem problem = refused(github("gh", "t"), headers("X-GitHub-Delivery", "d"), PUSH);
    assertEquals(EventProblem.badRequest("type", "type: header X-GitHub-Event is missing"), problem);
  }

  @Test
  void githubRequestWithoutDeliveryHeaderIsRefused() {
    EventProblem problem = refused(github("gh", "t"), headers("X-GitHub-Event", "push"), PUSH);
    assertEquals(EventProblem.badRequest("id", "id: header X-GitHub-Delivery is missing"), problem);
  }

  @Test
  void declaredMappingsOverrideTheGithubPreset() {
    WebhookTrigger settings = github("gh", "t",
        values(ValueSpec.constant("com.example.push"), null, TestWebhooks.pointer("/ref"), null), Optional.empty());
    CloudEvent event = accepted(settings, headers("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-2"), PUSH);

    assertEquals("com.example.push", event.getType());
    assertEquals("refs/heads/main", event.getSubject());
    assertEquals("d-2", event.getId());
    assertEquals(URI.create("https://github.com/o/r"), event.getSource());
  }

  @Test
  void withoutMappingsTheDefaultsApply() {
    CloudEvent event = accepted(generic("plain", "t", TestWebhooks.NO_VALUES), headers(), PUSH);

    assertEquals(WebhookNormalizer.DEFAULT_TYPE, event.getType());
    assertEquals(URI.create("/webhooks/plain"), event.getSource());
    assertEquals(event.getId(), UUID.fromString(event.getId()).toString());
    assertNull(event.getSubject());
    assertEquals("application/octet-stream", event.getDataContentType());
    assertArrayEquals(PUSH, event.getData().toBytes());
  }

  @Test
  void eachRequestGetsItsOwnDefaultId() {
    WebhookTrigger settings = generic("plain", "t", TestWebhooks.NO_VALUES);
    assertEquals(false, accepted(settings, headers(), PUSH).getId().equals(accepted(settings, headers(), PUSH).getId()));
  }

  @Test
  void anEmptyBodyGivesAnEventWithoutData() {
    CloudEvent event = accepted(generic("plain", "t", TestWebhooks.NO_VALUES),
        headers("content-type", "application/json"), new byte[0]);
    assertNull(event.getData());
    assertNull(event.getDataContentType());
  }

  @Test
  void mapsHeaderPointerAndConstantWithPrefixes() {
    TestWebhooks.Values mappings = values(ValueSpec.constant("com.example.push"),
        TestWebhooks.header("X-Sender", "urn:sender:"), TestWebhooks.pointer("/ref", "branch:"),
        TestWebhooks.pointer("/size", "n-"));
    CloudEvent event = accepted(generic("hook", "t", mappings),
        headers("x-sender", "shop", "content-type", "application/json; charset=utf-8"), PUSH);

    assertEquals("com.example.push", event.getType());
    assertEquals(URI.create("urn:sender:shop"), event.getSource());
    assertEquals("branch:refs/heads/main", event.getSubject());
    assertEquals("n-3", event.getId());
    assertEquals("application/json; charset=utf-8", event.getDataContentType());
  }

  @Test
  void aPointerThatFindsNothingIsRefusedNamingThePointer() {
    TestWebhooks.Values mappings = values(null, null, TestWebhooks.pointer("/head_commit/id"), null);
    EventProblem problem = refused(generic("hook", "t", mappings), headers(), PUSH);
    assertEquals(EventProblem.badRequest("subject", "subject: pointer /head_commit/id finds nothing in the body"),
        problem);
  }

  @Test
  void aPointerIntoABodyThatIsNotJsonIsRefused() {
    TestWebhooks.Values mappings = values(TestWebhooks.pointer("/kind"), null, null, null);
    EventProblem problem = refused(generic("hook", "t", mappings), headers(), "kind=a".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, problem.status());
    assertEquals("type", problem.field());
    assertEquals(true, problem.message().startsWith("type: pointer /kind needs a JSON body, but the body is not JSON"),
        problem.message());
  }

  @Test
  void aPointerIntoJsonFollowedByGarbageIsRefused() {
    TestWebhooks.Values mappings = values(TestWebhooks.pointer("/kind"), null, null, null);
    EventProblem problem = refused(generic("hook", "t", mappings), headers(),
        "{\"kind\":\"a\"} trailing".getBytes(StandardCharsets.UTF_8));
    assertEquals("type", problem.field());
  }

  @Test
  void aPointerAtAnObjectIsRefused() {
    TestWebhooks.Values mappings = values(null, TestWebhooks.pointer("/repository"), null, null);
    EventProblem problem = refused(generic("hook", "t", mappings), headers(), PUSH);
    assertEquals("source: pointer /repository finds a JSON object, expected a string, number or boolean",
        problem.message());
  }

  @Test
  void anEmptyHeaderCountsAsMissingBecauseAttributesMustNotBeEmpty() {
    TestWebhooks.Values mappings = values(null, null, null, TestWebhooks.header("X-Request-Id"));
    EventProblem problem = refused(generic("hook", "t", mappings), headers("X-Request-Id", " "), PUSH);
    assertEquals(EventProblem.badRequest("id", "id: header X-Request-Id is empty"), problem);
  }

  @Test
  void aSourceThatIsNoUriReferenceIsRefused() {
    TestWebhooks.Values mappings = values(null, TestWebhooks.header("X-Sender"), null, null);
    EventProblem problem = refused(generic("hook", "t", mappings), headers("X-Sender", "not a uri"), PUSH);
    assertEquals("source", problem.field());
    assertEquals(true, problem.message().startsWith("source: 'not a uri' is not a URI reference"), problem.message());
  }
}
