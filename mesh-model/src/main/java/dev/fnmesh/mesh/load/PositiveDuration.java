package dev.fnmesh.mesh.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The rule for a duration that must be positive, which the schema's pattern alone cannot state: it lets
 * PT0S through. The checks of every section with such a duration word its problem here, as the schema does.
 */
final class PositiveDuration {

  /** How a duration is described, word for word as in the schema's {@code duration} errorMessage. */
  static final String RULE = "must be a positive ISO-8601 duration such as PT0.2S, PT30S, PT5M or P1D";

  private PositiveDuration() {}

  /**
   * The problem with a value that is not a positive duration, such as PT0S; empty for one that is, and for a
   * value that is not text, which the schema reports. Text that does not parse is worded as the schema words
   * it, so the loader merges the two identical problems.
   */
  static Optional<String> problem(JsonNode duration) {
    if (!duration.isTextual() || isPositive(duration.asText())) {
      return Optional.empty();
    }
    return Optional.of(RULE + ", got " + SchemaMessages.describe(duration));
  }

  private static boolean isPositive(String text) {
    try {
      Duration parsed = Duration.parse(text);
      return !parsed.isZero() && !parsed.isNegative();
    } catch (DateTimeParseException e) {
      // Text that does not parse breaks the schema's pattern as well, and is reported in the same words.
      return false;
    }
  }
}
