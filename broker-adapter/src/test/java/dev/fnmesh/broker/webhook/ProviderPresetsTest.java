package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** How each provider's payloads become the event's type, id, source and subject when the webhook declares none. */
class ProviderPresetsTest {

  private final WebhookNormalizer normalizer = new WebhookNormalizer();

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private Normalized normalize(Provider provider, MultiMap headers, String body) {
    WebhookTrigger webhook = TestWebhooks.provider(provider, "p", "t",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".getBytes(StandardCharsets.UTF_8));
    return normalizer.normalize(webhook, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  private CloudEvent accepted(Provider provider, MultiMap headers, String body) {
    Normalized result = normalize(provider, headers, body);
    if (result instanceof Normalized.Refused refused) {
      throw new AssertionError("refused: " + refused.problem());
    }
    return ((Normalized.Accepted) result).event();
  }

  @Test
  void stripeTakesTypeIdAndSubjectFromTheEventAndSourceFromItsAccount() {
    String event = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
        + "\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\"}}}";
    CloudEvent own = accepted(Provider.STRIPE, headers(), event);
    CloudEvent connected = accepted(Provider.STRIPE, headers(), event.replace("\"object\":\"event\"",
        "\"account\":\"acct_9\""));

    assertEquals("com.stripe.payment_intent.succeeded", own.getType());
    assertEquals("evt_1", own.getId());
    assertEquals("pi_1", own.getSubject());
    assertEquals(URI.create("https://stripe.com"), own.getSource());
    assertEquals(URI.create("https://stripe.com/acct_9"), connected.getSource());
  }

  @Test
  void stripeRefusesAnEventWithoutTypeNamingThePointer() {
    Normalized result = normalize(Provider.STRIPE, headers(), "{\"id\":\"evt_1\"}");

    assertEquals(EventProblem.badRequest("type", "type: pointer /type finds nothing in the body"),
        ((Normalized.Refused) result).problem());
  }

  @Test
  void slackTakesTheInnerEventTypeOfACallbackItsEventIdTeamAndChannel() {
    CloudEvent event = accepted(Provider.SLACK, headers(), "{\"type\":\"event_callback\",\"team_id\":\"T061EG9R6\","
        + "\"event_id\":\"Ev0PV52K21\",\"event\":{\"type\":\"app_mention\",\"channel\":\"C0LAN2Q65\"}}");

    assertEquals("com.slack.app_mention", event.getType());
    assertEquals("Ev0PV52K21", event.getId());
    assertEquals(URI.create("https://app.slack.com/client/T061EG9R6"), event.getSource());
    assertEquals("C0LAN2Q65", event.getSubject());
  }

  @Test
  void slackFallsBackToTheOuterTypeAndForAFormPostToTheDefaults() {
    CloudEvent limited = accepted(Provider.SLACK, headers(), "{\"type\":\"app_rate_limited\",\"team_id\":\"T1\"}");
    CloudEvent command = accepted(Provider.SLACK, headers("content-type", "application/x-www-form-urlencoded"),
        "token=x&team_id=T1&command=%2Fdeploy");

    assertEquals("com.slack.app_rate_limited", limited.getType());
    assertNull(limited.getSubject());
    assertEquals(WebhookNormalizer.DEFAULT_TYPE, command.getType());
    assertEquals(URI.create("/webhooks/p"), command.getSource());
  }

  @Test
  void gitlabTakesTypeFromTheObjectKindIdFromTheEventUuidAndSourceFromTheProject() {
    CloudEvent push = accepted(Provider.GITLAB, headers("X-Gitlab-Event", "Push Hook",
        "X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e", "Idempotency-Key", "other"),
        "{\"object_kind\":\"push\",\"project\":{\"web_url\":\"https://gitlab.example.com/mike/diaspora\"}}");
    CloudEvent retried = accepted(Provider.GITLAB, headers("Idempotency-Key", "f5a3c2d1"),
        "{\"object_kind\":\"tag_push\",\"project\":{\"web_url\":\"https://gitlab.example.com/mike/diaspora\"}}");
    CloudEvent system = accepted(Provider.GITLAB, headers(), "{\"event_name\":\"project_create\"}");

    assertEquals("com.gitlab.push", push.getType());
    assertEquals("13792a34-cac6-4fda-95a8-c58e00a3954e", push.getId());
    assertEquals(URI.create("https://gitlab.example.com/mike/diaspora"), push.getSource());
    assertEquals("com.gitlab.tag_push", retried.getType());
    assertEquals("f5a3c2d1", retried.getId());
    assertEquals("com.gitlab.project_create", system.getType());
    assertEquals(URI.create("/webhooks/p"), system.getSource());
  }

  @Test
  void gitlabRefusesAPayloadOfNoKnownKindNamingBothPointers() {
    Normalized result = normalize(Provider.GITLAB, headers(), "{}");

    assertEquals(EventProblem.badRequest("type", "type: pointer /object_kind finds nothing in the body, and "
        + "pointer /event_name finds nothing in the body"), ((Normalized.Refused) result).problem());
  }

  @Test
  void standardWebhooksTakesTheIdFromWebhookIdAndThePayloadsOwnType() {
    CloudEvent event = accepted(Provider.STANDARD_WEBHOOKS, headers("webhook-id", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"),
        "{\"type\":\"contact.created\",\"timestamp\":\"2022-11-03T20:26:10.344522Z\",\"data\":{\"id\":\"1f81\"}}");
    CloudEvent untyped = accepted(Provider.STANDARD_WEBHOOKS, headers("webhook-id", "msg_2"), "{\"data\":{}}");

    assertEquals("contact.created", event.getType());
    assertEquals("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", event.getId());
    assertEquals(URI.create("/webhooks/p"), event.getSource());
    assertEquals(WebhookNormalizer.DEFAULT_TYPE, untyped.getType());
  }
}
