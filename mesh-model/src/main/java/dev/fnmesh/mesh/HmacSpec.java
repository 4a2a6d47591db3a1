package dev.fnmesh.mesh;

import java.util.Objects;

/**
 * A webhook's check that a request body carries a valid HMAC signature, made with the webhook's secret.
 *
 * @param header the request header carrying the signature
 * @param algorithm the HMAC algorithm; only {@code sha256} for now
 * @param prefix text before the hex signature in the header, such as {@code sha256=}; empty when none
 */
public record HmacSpec(String header, String algorithm, String prefix) {

  /** The algorithm when the mesh file does not say, and the only one accepted, as in the schema. */
  public static final String DEFAULT_ALGORITHM = "sha256";

  public HmacSpec {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(prefix, "prefix");
    if (!DEFAULT_ALGORITHM.equals(algorithm)) {
      throw new IllegalArgumentException("algorithm must be sha256, got " + algorithm);
    }
  }
}
