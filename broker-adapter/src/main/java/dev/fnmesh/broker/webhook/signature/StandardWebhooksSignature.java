package dev.fnmesh.broker.webhook.signature;

import io.vertx.core.MultiMap;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The symmetric signature of the Standard Webhooks specification (standardwebhooks.com): {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature}, a space-separated list of
 * {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, any one matching. The key is the base64 part
 * of a {@code whsec_<base64>} secret. The timestamp must be within five minutes, and the id, which the spec
 * makes the idempotency key, is what a replay repeats.
 */
public final class StandardWebhooksSignature implements SignatureScheme {

  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String HEADER = "webhook-signature";
  static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1,";

  @Override
  public Optional<String> secretProblem(byte[] secret) {
    return key(secret).isPresent() ? Optional.empty() : Optional.of("must be a Standard Webhooks secret: "
        + SECRET_PREFIX + " followed by the base64 of the key, as the sender shows it");
  }

  @Override
  public Verdict verify(byte[] secret, MultiMap headers, byte[] body, Instant now) {
    String id = headers.get(ID);
    if (id == null || id.isBlank()) {
      return Verdict.refused(ID, "header " + ID + " is missing; it must carry the message's unique id");
    }
    String timestamp = headers.get(TIMESTAMP);
    Optional<Instant> signed = SignedTime.parse(timestamp == null ? null : timestamp.strip());
    if (signed.isEmpty()) {
      return Verdict.refused(TIMESTAMP, SignedTime.expected("header " + TIMESTAMP)
          + (timestamp == null ? ", and is missing" : ""));
    }
    String signatures = headers.get(HEADER);
    if (signatures == null || signatures.isBlank()) {
      return Verdict.refused(HEADER, "signature header " + HEADER + " is missing; it must carry "
          + "v1,<base64 HMAC-SHA256 of '<" + ID + ">.<" + TIMESTAMP + ">.<body>'>, keyed with the secret");
    }
    byte[] expected = Hmacs.hmac(Hmacs.SHA256, key(secret).orElseThrow(),
        Hmacs.utf8(id + "." + timestamp.strip() + "."), body);
    boolean matches = false;
    for (String signature : signatures.strip().split("\\s+")) {
      // Other versions, such as the asymmetric v1a, and entries that are not base64 match nothing.
      if (signature.startsWith(VERSION)) {
        matches |= Hmacs.fromBase64(signature.substring(VERSION.length()))
            .map(given -> Hmacs.same(expected, given)).orElse(false);
      }
    }
    if (!matches) {
      return Verdict.refused(HEADER, "no v1 signature in header " + HEADER + " matches '<" + ID + ">.<" + TIMESTAMP
          + ">.<body>'; check that the trigger's secret is the endpoint's whsec_ secret");
    }
    Optional<String> stale = SignedTime.stale(signed.get(), SignedTime.PROVIDER_TOLERANCE, now);
    if (stale.isPresent()) {
      return Verdict.refused(TIMESTAMP, stale.get());
    }
    return new Verdict.Genuine(Optional.of(new ReplayKey("id:" + id, ID,
        signed.get().plus(SignedTime.PROVIDER_TOLERANCE))));
  }

  /** The HMAC key: the base64 after {@code whsec_}, which the reference libraries also take without it. */
  private static Optional<byte[]> key(byte[] secret) {
    String text = new String(secret, StandardCharsets.UTF_8);
    String encoded = text.startsWith(SECRET_PREFIX) ? text.substring(SECRET_PREFIX.length()) : text;
    return Hmacs.fromBase64(encoded).filter(key -> key.length > 0);
  }
}
