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

/** Stripe-Signature: {@code t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, any v1 matching, five minutes. */
class StripeSignatureTest {

  private static final byte[] SECRET = "whsec_test_secret".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"}"
      .getBytes(StandardCharsets.UTF_8);
  private static final long T = 1614265330;
  // Stripe publishes no test vector; this one was computed with Python's hmac module from Stripe's recipe.
  private static final String V1 = "f60156f07d9fcede64d2d4c42b7e1f12f459a2e0c0c293d0bd7f817fbc59ecf6";
  private static final Instant SIGNED = Instant.ofEpochSecond(T);

  private final StripeSignature stripe = new StripeSignature();

  private Verdict verify(String header, byte[] body, Instant now) {
    return stripe.verify(SECRET, headers("Stripe-Signature", header), body, now);
  }

  @Test
  void acceptsTheRecipesSignatureAndKeysAReplayByTheSignedDigestUntilFiveMinutesAfterT() {
    assertEquals(V1, ProviderRecipes.stripeV1(SECRET, T, BODY));

    assertEquals(Optional.of(new ReplayKey(V1, "Stripe-Signature", SIGNED.plusSeconds(300))),
        genuine(verify("t=" + T + ",v1=" + V1, BODY, SIGNED.plusSeconds(60))));
  }

  @Test
  void acceptsAnyMatchingV1AmongSeveralAndIgnoresOtherSchemesAndSpaces() {
    String rolled = ProviderRecipes.stripeV1("whsec_old".getBytes(StandardCharsets.UTF_8), T, BODY);
    String header = "t=" + T + ", v1=" + rolled + ", v1=" + V1 + ", v0=6ffbb59b2300aae63f272406069a9788598b792a";

    ReplayKey key = genuine(verify(header, BODY, SIGNED)).orElseThrow();

    // The key is what was signed, so appending entries to a captured header does not make it new.
    assertEquals(V1, key.value());
  }

  @Test
  void refusesATamperedBodyAWrongSecretAndAMovedTimestamp() {
    byte[] tampered = "{\"id\":\"evt_1\",\"type\":\"payment_intent.failed\"}".getBytes(StandardCharsets.UTF_8);
    String otherSecret = ProviderRecipes.stripe("whsec_other".getBytes(StandardCharsets.UTF_8), T, BODY);

    for (Verdict verdict : new Verdict[] {verify("t=" + T + ",v1=" + V1, tampered, SIGNED),
        verify(otherSecret, BODY, SIGNED), verify("t=" + (T + 1) + ",v1=" + V1, BODY, SIGNED)}) {
      EventProblem problem = refused(verdict);
      assertEquals("Stripe-Signature", problem.field());
      assertTrue(problem.message().startsWith("no v1 signature in header Stripe-Signature matches '<t>.<body>'"),
          problem.message());
    }
  }

  @Test
  void refusesATimestampMoreThanFiveMinutesOffEitherWay() {
    String header = "t=" + T + ",v1=" + V1;

    assertEquals(Optional.of(new ReplayKey(V1, "Stripe-Signature", SIGNED.plusSeconds(300))),
        genuine(verify(header, BODY, SIGNED.minusSeconds(300))));
    EventProblem stale = refused(verify(header, BODY, SIGNED.plusSeconds(301)));
    EventProblem ahead = refused(verify(header, BODY, SIGNED.minusSeconds(301)));

    assertEquals(401, stale.status());
    assertEquals("Stripe-Signature", stale.field());
    assertTrue(stale.message().contains("a stale or replayed request is refused"), stale.message());
    assertTrue(ahead.message().contains("ahead of this server's clock"), ahead.message());
  }

  @Test
  void refusesAMissingHeaderAMissingOrMalformedTimestampAndNoV1() {
    assertTrue(refused(stripe.verify(SECRET, headers(), BODY, SIGNED)).message().contains("is missing"));
    assertEquals(new EventProblem(401, "Stripe-Signature", "t= in header Stripe-Signature must be the unix time in "
        + "seconds at which the request was signed"), refused(verify("v1=" + V1, BODY, SIGNED)));
    assertEquals(401, refused(verify("t=-5,v1=" + V1, BODY, SIGNED)).status());
    assertEquals(new EventProblem(401, "Stripe-Signature", "header Stripe-Signature holds no v1 signature in hex"),
        refused(verify("t=" + T + ",v0=" + V1 + ",v1=zz", BODY, SIGNED)));
  }
}
