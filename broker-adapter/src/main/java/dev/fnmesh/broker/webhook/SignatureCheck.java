package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.mesh.HmacSpec;
import io.vertx.core.MultiMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a webhook request's HMAC signature over the raw body. Digests are compared as bytes in constant
 * time, so the time a refusal takes tells an attacker nothing about how much of a guess was right.
 */
public final class SignatureCheck {

  // The JCA name of every algorithm HmacSpec accepts; every JRE has both.
  private static final Map<String, String> JCA_NAMES = Map.of("sha256", "HmacSHA256", "sha512", "HmacSHA512");

  private SignatureCheck() {}

  /**
   * @return empty when the header carries the prefix and the hex HMAC of the body under the secret,
   *     otherwise a 401 problem whose field is the header's name
   */
  public static Optional<EventProblem> verify(HmacSpec hmac, byte[] secret, MultiMap headers, byte[] body) {
    String header = headers.get(hmac.header());
    if (header == null || header.isBlank()) {
      return refuse(hmac, "signature header " + hmac.header() + " is missing; it must carry "
          + (hmac.prefix().isEmpty() ? "" : "'" + hmac.prefix() + "' and ") + "the hex HMAC-"
          + hmac.algorithm().toUpperCase(Locale.ROOT) + " of the body, keyed with the webhook's secret");
    }
    String signature = header.strip();
    if (!signature.startsWith(hmac.prefix())) {
      return refuse(hmac, "signature header " + hmac.header() + " must start with '" + hmac.prefix() + "'");
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signature.substring(hmac.prefix().length()));
    } catch (IllegalArgumentException e) {
      return refuse(hmac, "signature header " + hmac.header() + " must hold a hexadecimal digest after '"
          + hmac.prefix() + "'");
    }
    if (!MessageDigest.isEqual(digest(hmac, secret, body), given)) {
      return refuse(hmac, "signature in header " + hmac.header()
          + " does not match the body; check that sender and trigger share the same secret");
    }
    return Optional.empty();
  }

  /** The header value a sender with this secret puts on the body: the prefix and the lower-case hex HMAC. */
  public static String sign(HmacSpec hmac, byte[] secret, byte[] body) {
    return hmac.prefix() + HexFormat.of().formatHex(digest(hmac, secret, body));
  }

  private static byte[] digest(HmacSpec hmac, byte[] secret, byte[] body) {
    try {
      // A Mac is stateful and not thread-safe; a new one per request is cheap next to the Kafka write.
      String algorithm = JCA_NAMES.get(hmac.algorithm());
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret, algorithm));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      // Every JRE has HmacSHA256 and HmacSHA512, and WebhookTrigger refuses an empty key.
      throw new IllegalStateException("cannot compute HMAC-" + hmac.algorithm() + ": " + e.getMessage(), e);
    }
  }

  private static Optional<EventProblem> refuse(HmacSpec hmac, String message) {
    return Optional.of(new EventProblem(401, hmac.header(), message));
  }
}
