package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.mesh.HmacSpec;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import static dev.fnmesh.broker.webhook.TestWebhooks.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureCheckTest {

  // GitHub's documented example ("Validating webhook deliveries"): this secret and payload give this signature.
  private static final byte[] PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String GITHUB_SIGNATURE =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  private static String hmacSha256Hex(byte[] key, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static Optional<EventProblem> verify(HmacSpec hmac, String header, String value, byte[] body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (value != null) {
      headers.add(header, value);
    }
    return SignatureCheck.verify(hmac, SECRET, headers, body);
  }

  @Test
  void acceptsGithubsDocumentedExampleSignature() throws Exception {
    assertEquals(GITHUB_SIGNATURE, "sha256=" + hmacSha256Hex(SECRET, PAYLOAD));
    assertEquals(Optional.empty(), verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", GITHUB_SIGNATURE, PAYLOAD));
  }

  @Test
  void signsLikeGithub() {
    assertEquals(GITHUB_SIGNATURE, SignatureCheck.sign(Provider.GITHUB.hmac(), SECRET, PAYLOAD));
  }

  @Test
  void readsTheHeaderNameCaseInsensitively() {
    assertEquals(Optional.empty(), verify(Provider.GITHUB.hmac(), "x-hub-signature-256", GITHUB_SIGNATURE, PAYLOAD));
  }

  @Test
  void refusesATamperedBodyWithUnauthorizedNamingTheHeader() {
    EventProblem problem = verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", GITHUB_SIGNATURE,
        "Hello, World?".getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertEquals(401, problem.status());
    assertEquals("X-Hub-Signature-256", problem.field());
    assertTrue(problem.message().contains("does not match"), problem.message());
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() throws Exception {
    String other = "sha256=" + hmacSha256Hex("another secret".getBytes(StandardCharsets.UTF_8), PAYLOAD);
    assertEquals(401, verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", other, PAYLOAD).orElseThrow().status());
  }

  @Test
  void refusesAWrongPrefix() {
    String sha1Style = GITHUB_SIGNATURE.replace("sha256=", "sha1=");
    EventProblem problem = verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", sha1Style, PAYLOAD).orElseThrow();
    assertEquals(401, problem.status());
    assertTrue(problem.message().contains("must start with 'sha256='"), problem.message());
  }

  @Test
  void refusesAMissingHeader() {
    EventProblem problem = verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", null, PAYLOAD).orElseThrow();
    assertEquals(new EventProblem(401, "X-Hub-Signature-256", problem.message()), problem);
    assertTrue(problem.message().contains("is missing"), problem.message());
  }

  @Test
  void refusesADigestThatIsNotHex() {
    String notHex = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 1) + "z";
    EventProblem problem = verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", notHex, PAYLOAD).orElseThrow();
    assertTrue(problem.message().contains("hexadecimal"), problem.message());
  }

  @Test
  void comparesDecodedBytesSoUpperCaseHexIsTheSameDigest() {
    String upper = "sha256=" + GITHUB_SIGNATURE.substring("sha256=".length()).toUpperCase(Locale.ROOT);
    assertEquals(Optional.empty(), verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", upper, PAYLOAD));
  }

  @Test
  void refusesADigestThatDiffersOnlyInItsLastByte() {
    String lastByteChanged = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 2) + "18";
    assertEquals(401, verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", lastByteChanged, PAYLOAD)
        .orElseThrow().status());
  }

  @Test
  void refusesATruncatedDigestAndAnEmptyOne() {
    String truncated = GITHUB_SIGNATURE.substring(0, GITHUB_SIGNATURE.length() - 2);
    assertEquals(401, verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", truncated, PAYLOAD).orElseThrow().status());
    assertEquals(401, verify(Provider.GITHUB.hmac(), "X-Hub-Signature-256", "sha256=", PAYLOAD).orElseThrow().status());
  }

  @Test
  void checksAGenericSha512SignatureWithoutPrefix() throws Exception {
    HmacSpec hmac = new HmacSpec("X-Signature", "sha512", "");
    Mac mac = Mac.getInstance("HmacSHA512");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA512"));
    String expected = HexFormat.of().formatHex(mac.doFinal(PAYLOAD));

    assertEquals(Optional.empty(), verify(hmac, "X-Signature", expected, PAYLOAD));
    assertEquals(401, verify(hmac, "X-Signature", "sha512=" + expected, PAYLOAD).orElseThrow().status());
  }
}
