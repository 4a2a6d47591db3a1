package dev.fnmesh.broker.webhook.signature;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signature headers built as each provider's documentation tells a sender to, with the JDK's Mac directly and
 * none of the code under test, so that a test checks the scheme and not an echo of the verifier.
 */
public final class ProviderRecipes {

  private ProviderRecipes() {}

  /** GitHub, X-Hub-Signature-256: {@code sha256=} + hex HMAC-SHA256 of the body. */
  public static String github(byte[] secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmacSha256(secret, body));
  }

  /** Stripe, Stripe-Signature: {@code t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. */
  public static String stripe(byte[] secret, long t, byte[] body) {
    return "t=" + t + ",v1=" + stripeV1(secret, t, body);
  }

  /** The hex of one Stripe v1 signature. */
  public static String stripeV1(byte[] secret, long t, byte[] body) {
    return HexFormat.of().formatHex(hmacSha256(secret, concat(t + ".", body)));
  }

  /** Slack, X-Slack-Signature: {@code v0=} + hex HMAC-SHA256 of {@code "v0:<timestamp>:<body>"}. */
  public static String slack(byte[] secret, long timestamp, byte[] body) {
    return "v0=" + HexFormat.of().formatHex(hmacSha256(secret, concat("v0:" + timestamp + ":", body)));
  }

  /**
   * Standard Webhooks, webhook-signature: {@code v1,} + base64 HMAC-SHA256 of {@code "<id>.<timestamp>.<body>"},
   * keyed with the base64-decoded part of the {@code whsec_} secret.
   */
  public static String standardWebhooks(String whsecSecret, String id, long timestamp, byte[] body) {
    byte[] key = Base64.getDecoder().decode(whsecSecret.substring("whsec_".length()));
    return "v1," + Base64.getEncoder().encodeToString(hmacSha256(key, concat(id + "." + timestamp + ".", body)));
  }

  /** A generic hmac with a timestamp: hex HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
  public static String timestamped(byte[] secret, long timestamp, byte[] body) {
    return HexFormat.of().formatHex(hmacSha256(secret, concat(timestamp + ".", body)));
  }

  public static byte[] hmacSha256(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(String head, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }
}
