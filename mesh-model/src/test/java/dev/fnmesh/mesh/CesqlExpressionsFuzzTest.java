package dev.fnmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;

/**
 * Any text given as a {@code filter.sql} either parses or is refused with a message naming it; no text
 * makes the parser throw anything else, so a bad filter is a problem of the mesh file, not a crash.
 */
class CesqlExpressionsFuzzTest {

  private static final List<String> CORPUS = TextMutations.lines("fuzz/cesql/expressions.txt");
  private static final List<String> TOKENS = List.of(" ", "(", ")", ",", "'", "\"", "''", "\\", "%", "_", "=", "<>",
      "!=", "<", ">=", "+", "-", "*", "/", "%", " AND ", " OR ", " XOR ", "NOT ", " LIKE ", " IN ", "EXISTS ",
      " BETWEEN ", " ESCAPE ", "TRUE", "FALSE", "NULL", "type", "amount", "ABS(", "INT(", "SUBSTRING(", "CONCAT(",
      "0", "-1", "2147483647", "-2147483648", "2147483648", "99999999999999999999", "1e9", "0.5", "'a'", "'%'");

  @Property(seed = "4242", tries = 1500)
  void everyTextParsesOrIsRefusedWithAMessage(@ForAll("expressions") String text) {
    parsesOrIsRefused(text);
  }

  @Property(seed = "4243", tries = 30)
  void deeplyNestedExpressionsParseOrAreRefused(@ForAll("nested") String text) {
    parsesOrIsRefused(text);
  }

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void everyExpressionOfTheCorpusParsesOrIsRefused(@ForAll("corpus") String text) {
    parsesOrIsRefused(text);
  }

  @Example
  void aLikePatternHoldingBackslashEIsRefusedRatherThanRunAsARegularExpression() {
    assertEquals(Optional.of("CESQL expression \"type LIKE '\\E(a|a)*b\\Q'\" does not parse: at line 1 column 11: "
        + "the LIKE pattern '\\E(a|a)*b\\Q' holds \\E, which LIKE cannot match yet"),
        CesqlExpressions.problem("type LIKE '\\E(a|a)*b\\Q'"));
  }

  @Example
  void aLikePatternWithMoreThanOnePercentBeforeItsEndIsRefusedRatherThanBacktrackingForMinutes() {
    assertEquals(Optional.of("CESQL expression \"subject LIKE '%a%b'\" does not parse: at line 1 column 14: the LIKE "
        + "pattern '%a%b' has 2 % before its end; LIKE takes one there at most, as in 'a%b', '%a' or '%a%', since each "
        + "further one makes matching take time growing with a further power of the value's length"),
        CesqlExpressions.problem("subject LIKE '%a%b'"));
    for (String safe : List.of("'a%b'", "'%a'", "'%a%'", "'a%%'", "'%a\\%b%'", "'%'", "'_a_'", "'ab'")) {
      assertEquals(Optional.empty(), CesqlExpressions.problem("subject LIKE " + safe), safe);
    }
    for (String slow : List.of("'%%a'", "'%a%b%'", "'%%%%%%%%%%%%%%%%b'", "'a%b%c'")) {
      assertTrue(CesqlExpressions.problem("subject NOT LIKE " + slow).isPresent(), slow);
    }
  }

  @Example
  void anExpressionNestedThousandsDeepIsRefusedRatherThanOverflowingTheStack() {
    String abs = CesqlExpressions.problem("ABS(".repeat(5000) + "1" + ")".repeat(5000) + " = 1").orElseThrow();
    assertTrue(abs.endsWith("it has 15003 tokens; an expression may have at most 1000"), abs);
    String parentheses = CesqlExpressions.problem("(".repeat(65) + "TRUE" + ")".repeat(65)).orElseThrow();
    assertTrue(parentheses.endsWith("at line 1 column 65: parentheses nest more than 64 deep"), parentheses);
    assertEquals(Optional.empty(), CesqlExpressions.problem("NOT ".repeat(999) + "TRUE"));
  }

  private static void parsesOrIsRefused(String text) {
    Optional<String> problem = CesqlExpressions.problem(text);
    if (problem.isEmpty()) {
      assertNotNull(CesqlExpressions.parse(text));
      return;
    }
    assertTrue(problem.get().startsWith("CESQL expression \""), problem.get());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CesqlExpressions.parse(text));
    assertEquals(problem.get(), refused.getMessage());
  }

  @Provide
  Arbitrary<String> expressions() {
    return TextMutations.around(CORPUS, TOKENS);
  }

  @Provide
  Arbitrary<String> corpus() {
    return Arbitraries.of(CORPUS);
  }

  /** Thousands of levels: the parser recurses once per level at least. */
  @Provide
  Arbitrary<String> nested() {
    return Arbitraries.integers().between(1, 5_000).flatMap(depth -> Arbitraries.of(
        "(".repeat(depth) + "type = 'a'" + ")".repeat(depth),
        "NOT ".repeat(depth) + "TRUE",
        "-".repeat(depth) + "1 = 1",
        "ABS(".repeat(depth) + "1" + ")".repeat(depth) + " = 1",
        "1" + " + 1".repeat(depth) + " > 0",
        "(".repeat(depth)));
  }
}
