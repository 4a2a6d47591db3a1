package dev.fnmesh.broker.webhook.signature;

import io.vertx.core.MultiMap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">},
 * keyed with the endpoint's signing secret ({@code whsec_...}, used as is). Several v1 entries may come
 * while a secret is rolled; any one matching passes. Other schemes (v0, test mode) are ignored, as Stripe's
 * own libraries do. The timestamp must be within five minutes.
 */
public final class StripeSignature implements SignatureScheme {

  public static final String HEADER = "Stripe-Signature";

  @Override
  public Verdict verify(byte[] secret, MultiMap headers, byte[] body, Instant now) {
    String value = headers.get(HEADER);
    if (value == null || value.isBlank()) {
      return Verdict.refused(HEADER, "signature header " + HEADER + " is missing; it must carry "
          + "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>, keyed with the endpoint's signing secret");
    }
    String timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String item : value.split(",")) {
      int equals = item.indexOf('=');
      String key = equals < 0 ? item.strip() : item.substring(0, equals).strip();
      String text = equals < 0 ? "" : item.substring(equals + 1).strip();
      if ("t".equals(key) && timestamp == null) {
        timestamp = text;
      } else if ("v1".equals(key)) {
        // A v1 that is not hex matches nothing; another v1 may still match.
        Hmacs.fromHex(text).ifPresent(signatures::add);
      }
    }
    Optional<Instant> signed = SignedTime.parse(timestamp);
    if (signed.isEmpty()) {
      return Verdict.refused(HEADER, SignedTime.expected("t= in header " + HEADER));
    }
    if (signatures.isEmpty()) {
      return Verdict.refused(HEADER, "header " + HEADER + " holds no v1 signature in hex");
    }
    byte[] expected = Hmacs.hmac(Hmacs.SHA256, secret, Hmacs.utf8(timestamp), new byte[] {'.'}, body);
    boolean matches = false;
    for (byte[] signature : signatures) {
      matches |= Hmacs.same(expected, signature);
    }
    if (!matches) {
      return Verdict.refused(HEADER, "no v1 signature in header " + HEADER + " matches '<t>.<body>'; check that "
          + "the trigger's secret is the endpoint's signing secret");
    }
    Optional<String> stale = SignedTime.stale(signed.get(), SignedTime.PROVIDER_TOLERANCE, now);
    if (stale.isPresent()) {
      return Verdict.refused(HEADER, stale.get());
    }
    // The computed digest, not the header: extra v1 entries appended to a captured header change the header
    // but not what was signed, so they cannot make a replay look new.
    return new Verdict.Genuine(Optional.of(new ReplayKey(Hmacs.hex(expected), HEADER,
        signed.get().plus(SignedTime.PROVIDER_TOLERANCE))));
  }
}
