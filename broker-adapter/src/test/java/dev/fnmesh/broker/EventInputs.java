package dev.fnmesh.broker;

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
 * Inputs for the fuzz tests of this module: attribute names and values that CloudEvents readers stumble on,
 * and texts made from valid seeds by a few edits (cut, deleted, repeated, spliced with tokens or odd
 * characters). Edits are values, so jqwik shrinks a failing text towards its seed.
 */
public final class EventInputs {

  /** Characters parsers stumble on: controls, a BOM, lone surrogates, line and paragraph separators, NUL. */
  public static final String ODD_CHARS = "\u0000\u0001\t\r\n\u000B\f\u001C\u0085\u00A0\u2028\u2029\uFEFF\uD800\uDFFF"
      + "\uFFFFé€😀\u202E\u0301%\\\"'`{}[]():,;#&*!|<>=-+?@$^~/";

  /** Names of attributes, headers and JSON members: the real ones, near misses and names that are none. */
  public static final List<String> ATTRIBUTE_NAMES = List.of("specversion", "id", "source", "type", "time",
      "datacontenttype", "dataschema", "subject", "data", "data_base64", "datacontentencoding", "schemaurl",
      "traceid", "partitionkey", "SpecVersion", "Id", "a-b", "a_b", "", " ", "é", "x".repeat(300), "1", "ce-id");

  /** Values of attributes: spec versions, URIs, times, media types, percent-encodings and odd text. */
  public static final List<String> ATTRIBUTE_VALUES = List.of("", " ", "x", "1.0", "0.3", "1", "1.0 ", " 1.0", "2.0",
      "1.0\u0000", "V1", "/s", "https://example.com/a?b=c#d", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "::",
      "http://[::1", "a b", "\\", "%", "%z", "%zz", "%C3", "%C3%28", "%F0%9F%98%80", "%25", "%00", "%0A", "%E2%80%A8",
      "2026-11-29T15:04:05Z", "2026-11-29T15:04:05.123456789+01:00", "2026-11-29t15:04:05z", "2026-11-29T25:00:00Z",
      "2026-02-30T00:00:00Z", "2026-11-29", "2026-11-29T15:04:05", "2026-11-29 15:04:05Z", "+999999999-12-31T23:59:59Z",
      "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00-18:00", "1970-01-01T00:00:00+18:01", "yesterday",
      "application/json", "text/plain; charset=utf-8", "application/cloudevents+json", "*/*", "a/b;\n", "a/", "/b",
      "é", "😀", "\uD800", "\u202E", "x".repeat(5000), "99999999999999999999", "-1", "true", "null", "aGVsbG8=",
      "aGVsbG8", "=");

  private EventInputs() {}

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
   * @param tokens pieces of the language that edits splice in
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

  /** An attribute value: mostly one of {@link #ATTRIBUTE_VALUES}, sometimes any text. */
  public static Arbitrary<String> attributeValues() {
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(ATTRIBUTE_VALUES)),
        Tuple.of(1, Arbitraries.strings().withChars(ODD_CHARS).withCharRange('a', 'z').ofMaxLength(12)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)));
  }

  /** Any bytes, up to a few hundred. */
  public static Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  /** A UTF-8 resource of the test classpath, such as a corpus file under {@code fuzz/}. */
  public static String resource(String name) {
    try (InputStream in = EventInputs.class.getClassLoader().getResourceAsStream(name)) {
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
