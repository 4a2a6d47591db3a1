package dev.fnmesh.broker.webhook.signature;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** A signed unix timestamp and the rule that it be near the receiver's clock, which makes replays stale. */
final class SignedTime {

  /** The tolerance Stripe, Slack and Standard Webhooks each document: five minutes either way. */
  static final Duration PROVIDER_TOLERANCE = Duration.ofMinutes(5);

  // Seconds since the epoch, no sign, no fraction; 12 digits reach the year 33658, and bound the parse.
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");

  private SignedTime() {}

  /** The instant a timestamp header or field names; empty when it is not 1 to 12 decimal digits. */
  static Optional<Instant> parse(String text) {
    return text != null && SECONDS.matcher(text).matches()
        ? Optional.of(Instant.ofEpochSecond(Long.parseLong(text)))
        : Optional.empty();
  }

  /** How a timestamp must be written, for the message of one that is not. */
  static String expected(String where) {
    return where + " must be the unix time in seconds at which the request was signed";
  }

  /**
   * @return why the signed instant is too far from now, either way, to be accepted; empty when it is within
   *     the tolerance
   */
  static Optional<String> stale(Instant signed, Duration tolerance, Instant now) {
    Duration off = Duration.between(signed, now);
    if (off.abs().compareTo(tolerance) <= 0) {
      return Optional.empty();
    }
    return Optional.of("the request was signed at " + signed + ", " + off.abs().toSeconds() + " s "
        + (off.isNegative() ? "ahead of" : "behind") + " this server's clock, more than the tolerance of "
        + tolerance.toSeconds() + " s; a stale or replayed request is refused (if the sender's clock is off, "
        + "correct it)");
  }
}
