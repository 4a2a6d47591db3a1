package dev.fnmesh.broker.signing;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The secret the processes of one mesh share to sign the records of its state topics. Its bytes are those
 * of the key as given (a key file's content, {@code FNMESH_CLUSTER_KEY}), without the whitespace around
 * them, so that a file ending in a newline and the variable set from it are the same key. Never printed.
 */
public final class ClusterKey {

  /** The fewest bytes a key may have. */
  public static final int MIN_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int GENERATED_BYTES = 32;

  private final byte[] secret;

  private ClusterKey(byte[] secret) {
    this.secret = secret;
  }

  /**
   * The key in {@code given}, the whitespace around it left out.
   *
   * @param origin where it was read, for messages: a file name or a variable's name
   * @throws IllegalArgumentException when it is empty or shorter than {@link #MIN_BYTES} bytes
   */
  public static ClusterKey of(byte[] given, String origin) {
    int start = 0;
    int end = given.length;
    while (start < end && isWhitespace(given[start])) {
      start++;
    }
    while (end > start && isWhitespace(given[end - 1])) {
      end--;
    }
    if (start == end) {
      throw new IllegalArgumentException("the cluster key in " + origin + " is empty");
    }
    if (end - start < MIN_BYTES) {
      throw new IllegalArgumentException("the cluster key in " + origin + " has " + (end - start)
          + " bytes, fewer than " + MIN_BYTES + ": make one with head -c 32 /dev/urandom | base64");
    }
    return new ClusterKey(Arrays.copyOfRange(given, start, end));
  }

  /** A new random key, as text: the base64 of 32 random bytes, as {@code head -c 32 /dev/urandom | base64} makes. */
  public static byte[] generateText() {
    byte[] random = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(random);
    return Base64.getEncoder().encode(random);
  }

  byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "ClusterKey(<redacted>)";
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
