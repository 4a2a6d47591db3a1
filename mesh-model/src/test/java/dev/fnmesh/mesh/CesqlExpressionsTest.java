package dev.fnmesh.mesh;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CesqlExpressionsTest {

  @Test
  void problemAcceptsAValidExpression() {
    assertEquals(Optional.empty(), CesqlExpressions.problem("type LIKE 'com.example.%' AND amount > 100"));
  }

  @Test
  void problemNamesTheExpressionAndTheParseProblem() {
    String message = CesqlExpressions.problem("type LIKE 'com.%' AND").orElseThrow();
    assertTrue(message.contains("\"type LIKE 'com.%' AND\""), message);
    assertTrue(message.contains("does not parse"), message);
    assertTrue(message.contains("column 22: mismatched input '<EOF>'"), message);
  }

  @Test
  void problemReportsWhereExtraneousInputIs() {
    assertEquals(Optional.of("CESQL expression \"type = 'a' foo\" does not parse: at line 1 column 12: "
        + "extraneous input 'foo' expecting <EOF>"), CesqlExpressions.problem("type = 'a' foo"));
  }

  @Test
  void problemReportsAnUnclosedParenthesisAndAnUnknownCharacter() {
    assertTrue(CesqlExpressions.problem("(type = 'a'").orElseThrow().contains("missing ')'"));
    String unknown = CesqlExpressions.problem("type = #").orElseThrow();
    assertTrue(unknown.contains("column 8: token recognition error at: '#'"), unknown);
  }

  @Test
  void problemAcceptsLowerCaseKeywords() {
    assertEquals(Optional.empty(), CesqlExpressions.problem("type like 'a%' and not exists subject or amount in (1, 2)"));
  }

  @Test
  void problemRefusesAnEmptyExpression() {
    assertTrue(CesqlExpressions.problem("  ").orElseThrow().contains("is empty"));
    assertTrue(CesqlExpressions.problem(null).orElseThrow().contains("is empty"));
  }
}
