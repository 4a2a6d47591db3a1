package dev.fnmesh.mesh;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Texts for the fuzz tests of this module: valid seeds broken by a few edits (cut, deleted, repeated,
 * spliced with tokens of the language or odd characters), token soups and plain random text. Edits are
 * values, so jqwik shrinks a failing text towards its seed.
 */
public final class TextMutations {

  /** Characters parsers stumble on: controls, a BOM, a lone surrogate, line and paragraph separators, NUL. */
  public static final String ODD_CHARS = "\u0000\u0001\t\r\n\u000B\f\u0085\u00A0\u2028\u2029\uFEFF\uD800\uDFFF\uFFFF"
      + "é€😀\u202E\u0301%\\\"'`{}[]():,;#&*!|>-?@=<$^~";

  private TextMutations() {}

  /** One edit; where it lands and how much it covers are taken modulo the text's length. */
  record Edit(Kind kind, int at, int length, String text) {

    enum Kind { CUT, DELETE, INSERT, REPLACE, REPEAT }

    String apply(String in) {
      int start = Math.floorMod(at, in.length() + 1);
      int end = Math.min(in.length(), start + length);
      return switch (kind) {
        case CUT -> in.substring(0, start);
        case DELETE -> in.substring(0, start) + in.substring(end);
        case INSERT -> in.substring(0, start) + text + in.substring(start);
        case REPLACE -> in.substring(0, start) + text + in.substring(end);
        case REPEAT -> in.substring(0, end) + in.substring(start, end).repeat(1 + length % 4) + in.substring(end);
      };
    }
  }

  /**
   * @param seeds valid inputs to start from
   * @param tokens pieces of the language (keywords, punctuation, interesting values) that edits splice in
   * @return mostly mutated seeds, some token soups and some random text
   */
  public static Arbitrary<String> around(List<String> seeds, List<String> tokens) {
    Arbitrary<String> pieces = Arbitraries.oneOf(Arbitraries.of(tokens), Arbitraries.strings().withChars(ODD_CHARS)
        .ofMaxLength(3), Arbitraries.strings().all().ofMaxLength(4));
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(Edit.Kind.class), Arbitraries.integers().between(0, 1 << 20),
        Arbitraries.integers().between(0, 40), pieces).as(Edit::new);
    Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(seeds), edit.list().ofMinSize(1).ofMaxSize(6))
        .as((seed, edits) -> {
          String text = seed;
          for (Edit one : edits) {
            text = one.apply(text);
          }
          return text;
        });
    Arbitrary<String> soup = pieces.list().ofMaxSize(25).map(list -> String.join("", list));
    return Arbitraries.frequencyOf(Tuple.of(8, mutated), Tuple.of(1, soup),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(120)));
  }

  /** A UTF-8 resource of the test classpath, such as a corpus under {@code fuzz/}. */
  public static String resource(String name) {
    try (InputStream in = TextMutations.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The non-empty lines of a resource that do not start with {@code #}: one corpus entry per line. */
  public static List<String> lines(String name) {
    return resource(name).lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
  }
}
