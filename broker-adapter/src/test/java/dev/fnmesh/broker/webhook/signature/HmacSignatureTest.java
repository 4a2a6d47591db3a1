package dev.fnmesh.broker.webhook.signature;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.mesh.HmacSpec;
import dev.fnmesh.mesh.HmacTimestamp;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import static dev.fnmesh.broker.webhook.signature.Verdicts.genuine;
import static dev.fnmesh.broker.webhook.signature.Verdicts.headers;
import static dev.fnmesh.broker.webhook.signature.Verdicts.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A webhook's own hmac and GitHub's signature: the hex HMAC of the body, or of {@code <timestamp>.<body>}. */
class HmacSignatureTest {

  // GitHub's documented example ("Validating webhook deliveries"): this secret and payload give this signature.
  private static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String GITHUB_SIGNATURE =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  private static final HmacSignature GITHUB = new HmacSignature(new HmacSpec("X-Hub-Signature-256", "sha256",
      "sha256="));
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final HmacSignature TIMESTAMPED = new HmacSignature(new HmacSpec("X-Signature", "sha256", "v1=",
      Optional.of(new HmacTimestamp("X-Timestamp", Duration.ofMinutes(5)))));

  private static Verdict github(String header, String value, byte[] body) {
    return GITHUB.verify(SECRET, value == null ? headers() : headers(header, value), body, NOW);
  }

  private static Verdict timestamped(long timestamp, String signature, byte[] body, Instant now) {
    return TIMESTAMPED.verify(SECRET, headers("X-Timestamp", Long.toString(timestamp), "X-Signature", signature),
        body, now);
  }

  @Test
  void acceptsGithubsDocumentedExampleSignatureAndOffersNoReplayKeyWithoutTimestamp() {
    assertEquals(GITHUB_SIGNATURE, ProviderRecipes.github(SECRET, PAYLOAD));
    assertEquals(Optional.empty(), genuine(github("X-Hub-Signature-256", GITHUB_SIGNATURE, PAYLOAD)));
  }

  @Test
  void readsTheHeaderNameCaseInsensitively() {
    assertEquals(Optional.empty(), genuine(github("x-hub-signature-256", GITHUB_SIGNATURE, PAYLOAD)));
  }

  @Test
  void refusesATamperedBodyWithUnauthorizedNamingTheHeader() {
    EventProblem problem = refused(github("X-Hub-Signature-256", GITHUB_SIGNATURE,
        "Hello, World?".getBytes(StandardCharsets.UTF_8)));
    assertEquals(401, problem.status());
    assertEquals("X-Hub-Signature-256", problem.field());
    assertTrue(problem.message().contains("does not match the body"), problem.message());
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    String other = ProviderRecipes.github("another secret".getBytes(StandardCharsets.UTF_8), PAYLOAD);
    assertEquals(401, refused(github("X-Hub-Signature-256", other, PAYLOAD)).status());
  }

  @Test
  void refusesAWrongPrefixAMissingHeaderAndADigestThatIsNotHex() {
    String sha1Style = GITHUB_SIGNATURE.replace("sha256=", "sha1=");
    assertTrue(refused(github("X-Hub-Signature-256", sha1Style, PAYLOAD)).message()
        .contains("must start with 'sha256='"));
    EventProblem missing = refused(github("X-Hub-Signature-256", null, PAYLOAD));
    assertEquals(new EventProblem(401, "X-Hub-Signature-256", missing.message()), missing);
    assertTrue(missing.message().contains("is missing"), missing.message());
    String notHex = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 1) + "z";
    assertTrue(refused(github("X-Hub-Signature-256", notHex, PAYLOAD)).message().contains("hexadecimal"));
  }

  @Test
  void comparesDecodedBytesSoUpperCaseHexIsTheSameDigest() {
    String upper = "sha256=" + GITHUB_SIGNATURE.substring("sha256=".length()).toUpperCase(Locale.ROOT);
    assertEquals(Optional.empty(), genuine(github("X-Hub-Signature-256", upper, PAYLOAD)));
  }

  @Test
  void refusesADigestThatDiffersOnlyInItsLastByteATruncatedOneAndAnEmptyOne() {
    String lastByteChanged = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 2) + "18";
    String truncated = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 2);
    for (String signature : new String[] {lastByteChanged, truncated, "sha256="}) {
      assertEquals(401, refused(github("X-Hub-Signature-256", signature, PAYLOAD)).status(), signature);
    }
  }

  @Test
  void checksAGenericSha512SignatureWithoutPrefix() throws Exception {
    HmacSignature sha512 = new HmacSignature(new HmacSpec("X-Signature", "sha512", ""));
    Mac mac = Mac.getInstance("HmacSHA512");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA512"));
    String expected = HexFormat.of().formatHex(mac.doFinal(PAYLOAD));

    assertEquals(Optional.empty(), genuine(sha512.verify(SECRET, headers("X-Signature", expected), PAYLOAD, NOW)));
    assertEquals(401, refused(sha512.verify(SECRET, headers("X-Signature", "sha512=" + expected), PAYLOAD, NOW))
        .status());
  }

  @Test
  void withATimestampTheHmacCoversTimestampDotBodyAndTheReplayKeyLastsUntilTheToleranceEnds() {
    long t = NOW.getEpochSecond() - 10;
    String signature = "v1=" + ProviderRecipes.timestamped(SECRET, t, PAYLOAD);

    ReplayKey key = genuine(timestamped(t, signature, PAYLOAD, NOW)).orElseThrow();

    assertEquals(new ReplayKey(signature.substring(3), "X-Signature", Instant.ofEpochSecond(t).plusSeconds(300)), key);
    // The body's HMAC alone, as without a timestamp, no longer passes.
    assertEquals(401, refused(timestamped(t, "v1=" + ProviderRecipes.github(SECRET, PAYLOAD).substring(7), PAYLOAD,
        NOW)).status());
  }

  @Test
  void withATimestampRefusesOneOutsideTheToleranceEitherWayNamingTheTimestampHeader() {
    long t = NOW.getEpochSecond();
    String signature = "v1=" + ProviderRecipes.timestamped(SECRET, t, PAYLOAD);

    assertEquals(Optional.of(new ReplayKey(signature.substring(3), "X-Signature", NOW.plusSeconds(300))),
        genuine(timestamped(t, signature, PAYLOAD, NOW.plusSeconds(300))));
    EventProblem late = refused(timestamped(t, signature, PAYLOAD, NOW.plusSeconds(301)));
    EventProblem early = refused(timestamped(t, signature, PAYLOAD, NOW.minusSeconds(301)));

    assertEquals("X-Timestamp", late.field());
    assertTrue(late.message().contains("301 s behind this server's clock, more than the tolerance of 300 s"),
        late.message());
    assertTrue(early.message().contains("301 s ahead of this server's clock"), early.message());
  }

  @Test
  void withATimestampRefusesAMissingOrMalformedOneAndATamperedOne() {
    long t = NOW.getEpochSecond();
    String signature = "v1=" + ProviderRecipes.timestamped(SECRET, t, PAYLOAD);

    EventProblem missing = refused(TIMESTAMPED.verify(SECRET, headers("X-Signature", signature), PAYLOAD, NOW));
    EventProblem malformed = refused(TIMESTAMPED.verify(SECRET, headers("X-Signature", signature,
        "X-Timestamp", "2025-03-01T12:00:00Z"), PAYLOAD, NOW));
    EventProblem moved = refused(timestamped(t + 1, signature, PAYLOAD, NOW));

    assertEquals(new EventProblem(401, "X-Timestamp", "timestamp header X-Timestamp must be the unix time in "
        + "seconds at which the request was signed, and is missing"), missing);
    assertEquals("X-Timestamp", malformed.field());
    assertEquals(new EventProblem(401, "X-Signature", "signature in header X-Signature does not match "
        + "'<X-Timestamp>.<body>'; check that sender and trigger share the same secret"), moved);
  }
}
