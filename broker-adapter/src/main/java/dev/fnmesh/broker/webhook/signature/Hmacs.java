package dev.fnmesh.broker.webhook.signature;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** The HMAC computations and constant-time comparisons every scheme shares. */
final class Hmacs {

  static final String SHA256 = "HmacSHA256";
  static final String SHA512 = "HmacSHA512";

  private Hmacs() {}

  /** The HMAC of the parts, concatenated, under the key; {@code algorithm} is a JCA name every JRE has. */
  static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
    try {
      // A Mac is stateful and not thread-safe; a new one per request is cheap next to the Kafka write.
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // Every JRE has HmacSHA256 and HmacSHA512, and WebhookTrigger refuses an empty key.
      throw new IllegalStateException("cannot compute " + algorithm + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether two digests are equal, in time independent of where they differ, so that the time a refusal
   * takes tells an attacker nothing about how much of a guess was right.
   */
  static boolean same(byte[] expected, byte[] given) {
    return MessageDigest.isEqual(expected, given);
  }

  /**
   * Whether a token equals the secret, in time independent of both their contents and their lengths:
   * the SHA-256 digests are compared, which always have the same length.
   */
  static boolean sameToken(byte[] secret, byte[] token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] expected = sha256.digest(secret);
      return MessageDigest.isEqual(expected, sha256.digest(token));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  /** The bytes a hexadecimal text stands for, upper or lower case; empty when it is not hexadecimal. */
  static Optional<byte[]> fromHex(String text) {
    try {
      return Optional.of(HexFormat.of().parseHex(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The bytes a standard base64 text stands for; empty when it is not base64. */
  static Optional<byte[]> fromBase64(String text) {
    try {
      return Optional.of(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
