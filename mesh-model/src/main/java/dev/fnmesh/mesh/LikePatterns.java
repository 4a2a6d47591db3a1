package dev.fnmesh.mesh;

import org.antlr.v4.runtime.Token;

import java.util.Optional;

/**
 * The LIKE patterns the SDK 4.0.1 can match safely. It turns a pattern into a regular expression, each
 * {@code %} a {@code .*}, between {@code \Q} and {@code \E}: a {@code \E} in the pattern would end the quote
 * (the pattern would not match itself, or would run as a regular expression of its own), and every {@code %}
 * before the last run of them makes a failing match backtrack over the value once more, so that matching takes
 * time growing with a power of the value's length, which an event chooses.
 */
final class LikePatterns {

  private LikePatterns() {}

  /** @param literal the pattern's string literal as written, quotes included */
  static Optional<String> problem(Token literal) {
    String written = literal.getText();
    String where = "at line " + literal.getLine() + " column " + (literal.getCharPositionInLine() + 1)
        + ": the LIKE pattern " + written;
    if (written.contains("\\E")) {
      return Optional.of(where + " holds \\E, which LIKE cannot match yet");
    }
    String pattern = written.substring(1, written.length() - 1);
    int wildcards = 0;
    int trailing = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length() && (pattern.charAt(i + 1) == '%' || pattern.charAt(i + 1) == '_')) {
        i++;
        trailing = 0;
      } else if (c == '%') {
        wildcards++;
        trailing++;
      } else {
        trailing = 0;
      }
    }
    if (wildcards - trailing > 1) {
      return Optional.of(where + " has " + (wildcards - trailing) + " % before its end; LIKE takes one there at most, "
          + "as in 'a%b', '%a' or '%a%', since each further one makes matching take time growing with a further "
          + "power of the value's length");
    }
    return Optional.empty();
  }
}
