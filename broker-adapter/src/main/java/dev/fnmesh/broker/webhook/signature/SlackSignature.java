package dev.fnmesh.broker.webhook.signature;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.util.Optional;

/**
 * Slack's request signature: {@code X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">} with
 * the timestamp in {@code X-Slack-Request-Timestamp}, keyed with the app's signing secret. The timestamp must
 * be within five minutes.
 */
public final class SlackSignature implements SignatureScheme {

  public static final String HEADER = "X-Slack-Signature";
  public static final String TIMESTAMP = "X-Slack-Request-Timestamp";
  private static final String VERSION = "v0";

  @Override
  public Verdict verify(byte[] secret, MultiMap headers, byte[] body, Instant now) {
    String value = headers.get(HEADER);
    if (value == null || value.isBlank()) {
      return Verdict.refused(HEADER, "signature header " + HEADER + " is missing; it must carry "
          + "v0=<hex HMAC-SHA256 of 'v0:<" + TIMESTAMP + ">:<body>'>, keyed with the app's signing secret");
    }
    String signature = value.strip();
    Optional<byte[]> given = signature.startsWith(VERSION + "=")
        ? Hmacs.fromHex(signature.substring(VERSION.length() + 1))
        : Optional.empty();
    if (given.isEmpty()) {
      return Verdict.refused(HEADER, "signature header " + HEADER + " must be 'v0=' and a hexadecimal digest");
    }
    String timestamp = headers.get(TIMESTAMP);
    Optional<Instant> signed = SignedTime.parse(timestamp == null ? null : timestamp.strip());
    if (signed.isEmpty()) {
      return Verdict.refused(TIMESTAMP, SignedTime.expected("header " + TIMESTAMP)
          + (timestamp == null ? ", and is missing" : ""));
    }
    byte[] expected = Hmacs.hmac(Hmacs.SHA256, secret,
        Hmacs.utf8(VERSION + ":" + timestamp.strip() + ":"), body);
    if (!Hmacs.same(expected, given.get())) {
      return Verdict.refused(HEADER, "signature in header " + HEADER + " does not match 'v0:<" + TIMESTAMP
          + ">:<body>'; check that the trigger's secret is the app's signing secret");
    }
    Optional<String> stale = SignedTime.stale(signed.get(), SignedTime.PROVIDER_TOLERANCE, now);
    if (stale.isPresent()) {
      return Verdict.refused(TIMESTAMP, stale.get());
    }
    return new Verdict.Genuine(Optional.of(new ReplayKey(Hmacs.hex(expected), HEADER,
        signed.get().plus(SignedTime.PROVIDER_TOLERANCE))));
  }
}
