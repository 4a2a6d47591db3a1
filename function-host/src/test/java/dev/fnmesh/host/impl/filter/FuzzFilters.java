package dev.fnmesh.host.impl.filter;

import dev.fnmesh.mesh.FilterSpec;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Filters and events for the fuzz tests: CESQL expressions built from the grammar (operators, functions,
 * LIKE, IN, EXISTS) over edge values, sometimes broken by a stray token; filter trees of every dialect; and
 * events of both spec versions with extensions of every CloudEvents type.
 */
public final class FuzzFilters {

  private static final List<String> ATTRIBUTES = List.of("id", "source", "type", "subject", "time", "specversion",
      "datacontenttype", "dataschema", "amount", "flag", "region", "bin", "link", "when", "missing");
  private static final List<String> LITERALS = List.of("0", "1", "-1", "2147483647", "-2147483648", "2147483648",
      "99999999999999999999", "TRUE", "FALSE", "''", "'a'", "'%'", "'it''s'", "'\\'", "\"2026-11-29T15:04:05Z\"",
      "'é😀'", "'\u0000'");
  private static final List<String> OPERATORS = List.of("=", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/",
      "%", "AND", "OR", "XOR");
  private static final List<String> FUNCTIONS = List.of("ABS", "LENGTH", "CONCAT", "CONCAT_WS", "LOWER", "UPPER",
      "TRIM", "LEFT", "RIGHT", "SUBSTRING", "INT", "BOOL", "STRING", "IS_INT", "IS_BOOL", "NOPE");
  private static final List<String> PATTERNS = List.of("'%'", "'_'", "'a%'", "'%\\%'", "'\\_'", "'\\'", "''",
      "'%%%%%%%%%%%%%%%%b'", "'é_'");
  private static final List<String> STRAY = List.of("(", ")", ",", "'", "NOT", "AND", "#", "LIKE", "1e5", "\"");

  private FuzzFilters() {}

  /** Expressions of the grammar, nested up to {@code depth}, one in ten with a stray token spliced in. */
  public static Arbitrary<String> expressions(int depth) {
    Arbitrary<String> valid = expression(depth);
    Arbitrary<String> broken = Combinators.combine(valid, Arbitraries.integers().between(0, 200), Arbitraries.of(STRAY))
        .as((text, at, token) -> text.substring(0, at % (text.length() + 1)) + token + text.substring(at % (text.length() + 1)));
    return Arbitraries.frequencyOf(Tuple.of(9, valid), Tuple.of(1, broken));
  }

  private static Arbitrary<String> expression(int depth) {
    Arbitrary<String> leaves = Arbitraries.oneOf(Arbitraries.of(ATTRIBUTES), Arbitraries.of(LITERALS),
        Arbitraries.integers().map(String::valueOf));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<String> sub = Arbitraries.lazy(() -> expression(depth - 1));
    return Arbitraries.frequencyOf(
        Tuple.of(3, leaves),
        Tuple.of(3, Combinators.combine(sub, Arbitraries.of(OPERATORS), sub).as((a, op, b) -> a + " " + op + " " + b)),
        Tuple.of(1, sub.map(e -> "NOT " + e)),
        Tuple.of(1, sub.map(e -> "-" + e)),
        Tuple.of(1, sub.map(e -> "(" + e + ")")),
        Tuple.of(2, Combinators.combine(Arbitraries.of(FUNCTIONS), sub.list().ofMaxSize(3))
            .as((function, args) -> function + "(" + String.join(", ", args) + ")")),
        Tuple.of(1, Combinators.combine(sub, Arbitraries.of("LIKE", "NOT LIKE"), Arbitraries.of(PATTERNS))
            .as((e, like, pattern) -> e + " " + like + " " + pattern)),
        Tuple.of(1, Combinators.combine(sub, sub.list().ofMinSize(1).ofMaxSize(3))
            .as((e, items) -> e + " IN (" + String.join(", ", items) + ")")),
        Tuple.of(1, Arbitraries.of(ATTRIBUTES).map(attribute -> "EXISTS " + attribute)));
  }

  /** Filter trees of every dialect, nested up to {@code depth}. */
  public static Arbitrary<FilterSpec> specs(int depth) {
    Arbitrary<Map<String, String>> attributes = Arbitraries.maps(
        Arbitraries.oneOf(Arbitraries.of(ATTRIBUTES), Arbitraries.strings().ofMaxLength(4)),
        Arbitraries.oneOf(Arbitraries.of("", "a", "com.example.", "/s", "1", "true", "2026-11-29T15:04:05Z"),
            Arbitraries.strings().ofMaxLength(4))).ofMaxSize(3);
    Arbitrary<FilterSpec> leaves = Arbitraries.oneOf(attributes.map(FilterSpec.Exact::new),
        attributes.map(FilterSpec.Prefix::new), attributes.map(FilterSpec.Suffix::new),
        expressions(3).map(FilterSpec.Sql::new));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<FilterSpec> sub = Arbitraries.lazy(() -> specs(depth - 1));
    return Arbitraries.frequencyOf(Tuple.of(4, leaves),
        Tuple.of(1, sub.list().ofMaxSize(3).map(FilterSpec.All::new)),
        Tuple.of(1, sub.list().ofMaxSize(3).map(FilterSpec.Any::new)),
        Tuple.of(1, sub.map(FilterSpec.Not::new)));
  }

  /** Events of both spec versions, with or without optional attributes, extensions of every type. */
  public static Arbitrary<CloudEvent> events() {
    Arbitrary<Object> amounts = Arbitraries.oneOf(Arbitraries.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE),
        Arbitraries.integers(), Arbitraries.of("120", "x", ""));
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of("com.example.order.created", "a", "é"),
        amounts, Arbitraries.of(true, false), Arbitraries.of(true, false)).as((v1, type, amount, flag, full) -> {
          CloudEventBuilder event = (v1 ? CloudEventBuilder.v1() : CloudEventBuilder.v03())
              .withId("1").withSource(URI.create("/s")).withType(type);
          if (amount instanceof Integer number) {
            event.withExtension("amount", number);
          } else {
            event.withExtension("amount", (String) amount);
          }
          event.withExtension("flag", flag);
          if (full) {
            event.withSubject("s").withTime(OffsetDateTime.parse("2026-11-29T15:04:05.123+01:00"))
                .withDataSchema(URI.create("https://x/y")).withExtension("region", "eu-west")
                .withExtension("bin", new byte[] {0, 1, (byte) 0xFF}).withExtension("link", URI.create("urn:x"))
                .withExtension("when", OffsetDateTime.parse("1970-01-01T00:00:00Z"))
                .withData("text/plain", "hello".getBytes(StandardCharsets.UTF_8));
          }
          return event.build();
        });
  }
}
