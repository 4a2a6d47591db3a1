package dev.fnmesh.broker.webhook.signature;

import dev.fnmesh.broker.EventProblem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static dev.fnmesh.broker.webhook.signature.Verdicts.genuine;
import static dev.fnmesh.broker.webhook.signature.Verdicts.headers;
import static dev.fnmesh.broker.webhook.signature.Verdicts.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Standard Webhooks: {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">} keyed with a whsec_ secret. */
class StandardWebhooksSignatureTest {

  // The signing test vector of the specification's reference libraries (libraries/go/webhook_test.go).
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  // From the same tests: a signature of other content, in v1 and v2.
  private static final String OTHER = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
  private static final Instant SIGNED = Instant.ofEpochSecond(TIMESTAMP);

  private final StandardWebhooksSignature scheme = new StandardWebhooksSignature();

  private Verdict verify(String secret, String id, long timestamp, String signature, byte[] body, Instant now) {
    return scheme.verify(secret.getBytes(StandardCharsets.UTF_8), headers("webhook-id", id,
        "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature), body, now);
  }

  private Verdict verify(String signature, Instant now) {
    return verify(SECRET, ID, TIMESTAMP, signature, BODY, now);
  }

  @Test
  void acceptsTheSpecificationsTestVectorAndKeysAReplayByTheWebhookId() {
    assertEquals(SIGNATURE, ProviderRecipes.standardWebhooks(SECRET, ID, TIMESTAMP, BODY));

    assertEquals(Optional.of(new ReplayKey("id:" + ID, "webhook-id", SIGNED.plusSeconds(300))),
        genuine(verify(SIGNATURE, SIGNED)));
  }

  @Test
  void acceptsAMatchingV1AmongSeveralAndTheSecretWithoutItsPrefix() {
    assertTrue(genuine(verify(OTHER + " " + OTHER.replace("v1,", "v2,") + " " + SIGNATURE + " " + OTHER, SIGNED))
        .isPresent());
    assertTrue(genuine(verify(SECRET.substring("whsec_".length()), ID, TIMESTAMP, SIGNATURE, BODY, SIGNED))
        .isPresent());
  }

  @Test
  void refusesAnotherSignatureATamperedBodyAnotherIdAndAnotherVersion() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    for (Verdict verdict : new Verdict[] {verify(OTHER, SIGNED), verify(SECRET, ID, TIMESTAMP, SIGNATURE, tampered,
        SIGNED), verify(SECRET, "msg_other", TIMESTAMP, SIGNATURE, BODY, SIGNED),
        verify(SIGNATURE.replace("v1,", "v1a,"), SIGNED), verify("v1,not base64!", SIGNED)}) {
      EventProblem problem = refused(verdict);
      assertEquals("webhook-signature", problem.field());
      assertTrue(problem.message().startsWith("no v1 signature in header webhook-signature matches"),
          problem.message());
    }
  }

  @Test
  void refusesATimestampMoreThanFiveMinutesOffEitherWayNamingTheTimestampHeader() {
    assertTrue(genuine(verify(SIGNATURE, SIGNED.plusSeconds(300))).isPresent());
    assertEquals("webhook-timestamp", refused(verify(SIGNATURE, SIGNED.plusSeconds(301))).field());
    assertEquals("webhook-timestamp", refused(verify(SIGNATURE, SIGNED.minusSeconds(301))).field());
  }

  @Test
  void refusesAMissingIdTimestampOrSignature() {
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    assertEquals("webhook-id", refused(scheme.verify(secret, headers("webhook-timestamp", "1614265330",
        "webhook-signature", SIGNATURE), BODY, SIGNED)).field());
    assertEquals("webhook-timestamp", refused(scheme.verify(secret, headers("webhook-id", ID,
        "webhook-signature", SIGNATURE), BODY, SIGNED)).field());
    assertEquals("webhook-signature", refused(scheme.verify(secret, headers("webhook-id", ID,
        "webhook-timestamp", "1614265330"), BODY, SIGNED)).field());
  }

  @Test
  void namesASecretThatIsNotBase64AfterItsPrefixWithoutQuotingIt() {
    assertEquals(Optional.empty(), scheme.secretProblem(SECRET.getBytes(StandardCharsets.UTF_8)));
    Optional<String> problem = scheme.secretProblem("whsec_not base64!".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.of("must be a Standard Webhooks secret: whsec_ followed by the base64 of the key, as the "
        + "sender shows it"), problem);
    assertTrue(scheme.secretProblem("whsec_".getBytes(StandardCharsets.UTF_8)).isPresent());
  }
}
