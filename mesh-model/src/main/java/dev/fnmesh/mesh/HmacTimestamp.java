package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * The signed timestamp of a generic HMAC check: the sender puts the unix time in seconds in a header and
 * signs {@code <timestamp>.<body>}, so a captured request cannot be replayed once the tolerance has passed.
 *
 * @param header the request header carrying the timestamp
 * @param tolerance how far the timestamp may be from the receiver's clock, either way
 */
public record HmacTimestamp(String header, Duration tolerance) {

  /** The tolerance when the mesh file does not say, as in the schema: what Stripe, Slack and others use. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  public HmacTimestamp {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isZero() || tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
    }
  }
}
