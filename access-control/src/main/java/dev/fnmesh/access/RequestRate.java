package dev.fnmesh.access;

import java.time.Duration;

/**
 * The most requests a caller may make in a period, such as {@code 200/s}; beyond it the answer is 429.
 *
 * @param requests how many requests the period allows, at least 1
 * @param period a second or a minute
 */
public record RequestRate(long requests, Duration period) {

  public RequestRate {
    if (requests < 1 || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a rate allows at least one request in a positive period");
    }
  }

  /** {@code 200/s} or {@code 600/m}, as the access file writes it. */
  public static RequestRate parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 1 || slash != text.length() - 2 || "sm".indexOf(text.charAt(slash + 1)) < 0) {
      throw new IllegalArgumentException("a rate is a number of requests per second or per minute, such as 200/s,"
          + " got " + text);
    }
    return new RequestRate(Long.parseLong(text.substring(0, slash)),
        text.charAt(slash + 1) == 's' ? Duration.ofSeconds(1) : Duration.ofMinutes(1));
  }

  @Override
  public String toString() {
    return requests + (period.equals(Duration.ofSeconds(1)) ? "/s" : "/m");
  }
}
