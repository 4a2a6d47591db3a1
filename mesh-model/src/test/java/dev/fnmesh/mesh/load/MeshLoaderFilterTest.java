package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.MeshProblem;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.mesh.FilterSpec.All;
import dev.fnmesh.mesh.FilterSpec.Any;
import dev.fnmesh.mesh.FilterSpec.Exact;
import dev.fnmesh.mesh.FilterSpec.Not;
import dev.fnmesh.mesh.FilterSpec.Prefix;
import dev.fnmesh.mesh.FilterSpec.Sql;
import dev.fnmesh.mesh.FilterSpec.Suffix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/**
 * A trigger's filter: the conditions of one object all hold, so several keys become an All of their parts
 * with the exact attribute matches grouped into one Exact; and the problems of a malformed filter.
 */
class MeshLoaderFilterTest {

  private static final String NAME_RULE = "must be a CloudEvents attribute name: lowercase letters a-z and digits only";

  private static FilterSpec filterOf(String filter) {
    return parse("""
        functions: { f: { java: f } }
        triggers:
          t:
            kafka: { topic: t }
            function: f
            filter: %s
        """.formatted(filter)).triggers().get("t").filter().orElseThrow();
  }

  @Test
  void shouldMakeASingleConditionThatConditionAlone() {
    assertEquals(new Exact(Map.of("type", "a")), filterOf("{ type: a }"));
    assertEquals(new Prefix(Map.of("type", "com.example.", "source", "/shop")),
        filterOf("{ prefix: { type: com.example., source: /shop } }"));
    assertEquals(new Suffix(Map.of("subject", ".pdf")), filterOf("{ suffix: { subject: .pdf } }"));
    assertEquals(new Sql("amount > 100"), filterOf("{ sql: 'amount > 100' }"));
    assertEquals(new Not(new Exact(Map.of("type", "test"))), filterOf("{ not: { type: test } }"));
  }

  @Test
  void shouldGroupEveryExactMatchOfOneObjectIntoOneExact() {
    assertEquals(new Exact(Map.of("type", "a", "source", "/shop", "myext", "1")),
        filterOf("{ type: a, source: /shop, myext: '1' }"));
  }

  @Test
  void shouldMakeSeveralConditionsAnAllInFileOrderWithTheExactWhereItsFirstKeyStands() {
    assertEquals(new All(List.of(
            new Prefix(Map.of("type", "com.")),
            new Exact(Map.of("source", "/shop", "subject", "x")),
            new Sql("true"),
            new Suffix(Map.of("type", ".created")))),
        filterOf("{ prefix: { type: com. }, source: /shop, sql: 'true', subject: x, suffix: { type: .created } }"));
  }

  @Test
  void shouldNestAllAnyAndNot() {
    assertEquals(new Any(List.of(
            new Exact(Map.of("type", "a")),
            new All(List.of(new Exact(Map.of("type", "b")), new Not(new Prefix(Map.of("source", "/test"))))))),
        filterOf("{ any: [ { type: a }, { all: [ { type: b }, { not: { prefix: { source: /test } } } ] } ] }"));
  }

  @Test
  void shouldReportAnSqlExpressionThatDoesNotParseAtItsKeyWhereverItIsNested() {
    List<MeshProblem> problems = problemsOf("""
        functions: { f: { java: f } }
        triggers:
          t:
            kafka: { topic: t }
            function: f
            filter:
              sql: "type LIKE"
              any: [ { type: a }, { not: { sql: "a = = b" } } ]
        """);

    assertEquals(2, problems.size(), problems::toString);
    assertEquals(List.of(7, 7), List.of(problems.get(0).line(), problems.get(0).column()));
    assertEquals("triggers.t.filter.sql", problems.get(0).key());
    assertTrue(problems.get(0).message().startsWith("must be a CloudEvents SQL (CESQL v1) expression: ")
        && problems.get(0).message().contains("type LIKE"), problems.get(0)::toString);
    assertEquals(List.of(8, 36), List.of(problems.get(1).line(), problems.get(1).column()));
    assertEquals("triggers.t.filter.any[1].not.sql", problems.get(1).key());
    assertTrue(problems.get(1).message().contains("a = = b"), problems.get(1)::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Type", "my-ext", "my_ext", "ce.type"})
  void shouldReportAnAttributeNameThatIsNoCloudEventsName(String name) {
    assertEquals(problem(6, 15, "triggers.t.filter." + name, NAME_RULE + ", got \"" + name + "\""), onlyProblemOf("""
        functions: { f: { java: f } }
        triggers:
          t:
            kafka: { topic: t }
            function: f
            filter: { %s: a }
        """.formatted(name)));
  }

  @Test
  void shouldReportABadAttributeNameInsidePrefixSuffixAndNestedFilters() {
    assertEquals(List.of(
            problem(3, 62, "triggers.t.filter.prefix.Type", NAME_RULE + ", got \"Type\""),
            problem(3, 83, "triggers.t.filter.suffix.sub-ject", NAME_RULE + ", got \"sub-ject\""),
            problem(3, 107, "triggers.t.filter.all[0].Source", NAME_RULE + ", got \"Source\"")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t: { kafka: { topic: t }, function: f, filter: { prefix: { Type: a }, suffix: { sub-ject: b }, \
            all: [ { Source: c } ] } }
            """));
  }

  @Test
  void shouldReportAnExactValueThatIsNoStringAndSuggestQuotesForAScalar() {
    assertEquals(List.of(
            problem(8, 7, "triggers.t.filter.amount", "must be a string, the value the attribute must equal (the "
                + "other filter keys are prefix, suffix, all, any, not and sql), got 100; put it in quotes to make it "
                + "a string"),
            problem(9, 7, "triggers.t.filter.prefx", "must be a string, the value the attribute must equal (the "
                + "other filter keys are prefix, suffix, all, any, not and sql), got a mapping")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                kafka: { topic: t }
                function: f
                filter:
                  type: a
                  amount: 100
                  prefx: { type: a }
            """));
  }

  @Test
  void shouldReportEmptyFiltersAndListsAndValuesOfTheWrongType() {
    assertEquals(List.of(
            problem(3, 8, "triggers.a.filter", "must hold at least one condition; remove it to let every event "
                + "through, got an empty mapping"),
            problem(4, 18, "triggers.b.filter.all", "must hold at least one filter, got an empty list"),
            problem(5, 18, "triggers.c.filter.prefix", "must name at least one attribute, got an empty mapping"),
            problem(6, 18, "triggers.d.filter.any", "must be a list, got a mapping"),
            problem(7, 18, "triggers.e.filter.not", "must be a mapping, got \"x\""),
            problem(8, 18, "triggers.f.filter.sql", "must be a non-empty string, got \"\""),
            problem(9, 28, "triggers.g.filter.suffix.type", "must be a string, got a list")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              a: { filter: {}, kafka: { topic: t }, function: f }
              b: { filter: { all: [] }, kafka: { topic: t }, function: f }
              c: { filter: { prefix: {} }, kafka: { topic: t }, function: f }
              d: { filter: { any: { type: a } }, kafka: { topic: t }, function: f }
              e: { filter: { not: x }, kafka: { topic: t }, function: f }
              f: { filter: { sql: '' }, kafka: { topic: t }, function: f }
              g: { filter: { suffix: { type: [a] } }, kafka: { topic: t }, function: f }
            """));
  }
}
