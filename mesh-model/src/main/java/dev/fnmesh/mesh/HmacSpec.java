package dev.fnmesh.mesh;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A webhook's check that a request body carries a valid HMAC signature, made with the webhook's secret. The
 * HMAC covers the raw body, or {@code <timestamp>.<body>} when the check has a signed timestamp.
 *
 * @param header the request header carrying the signature
 * @param algorithm the HMAC algorithm, one of {@link #ALGORITHMS}
 * @param prefix text before the hex signature in the header, such as {@code sha256=}; empty when none
 * @param timestamp the signed timestamp requests must carry; empty when the HMAC covers the body alone
 */
public record HmacSpec(String header, String algorithm, String prefix, Optional<HmacTimestamp> timestamp) {

  /** The algorithm when the mesh file does not say, as in the schema. */
  public static final String DEFAULT_ALGORITHM = "sha256";

  /** The algorithms accepted, as in the schema. */
  public static final List<String> ALGORITHMS = List.of("sha256", "sha512");

  public HmacSpec {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(timestamp, "timestamp");
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("algorithm must be one of " + String.join(", ", ALGORITHMS) + ", got "
          + algorithm);
    }
  }

  /** A check of the body alone, without a signed timestamp. */
  public HmacSpec(String header, String algorithm, String prefix) {
    this(header, algorithm, prefix, Optional.empty());
  }
}
