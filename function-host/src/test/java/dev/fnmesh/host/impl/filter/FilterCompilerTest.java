package dev.fnmesh.host.impl.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.host.EventFilter;
import dev.fnmesh.mesh.CesqlExpressions;
import dev.fnmesh.mesh.FilterSpec;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Every filter dialect of the mesh file's {@code filter:} block, compiled once and tested against events. */
class FilterCompilerTest {

  private static final CloudEvent ORDER = CloudEventBuilder.v1()
      .withId("o-1")
      .withSource(URI.create("/shop/eu"))
      .withType("com.example.order.created")
      .withSubject("invoices/42.pdf")
      .withTime(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC))
      .withDataContentType("application/json")
      .withExtension("amount", 150)
      .withExtension("region", "eu-west")
      .withExtension("priority", true)
      .build();

  private static final CloudEvent BARE = CloudEventBuilder.v1()
      .withId("b-1")
      .withSource(URI.create("/other"))
      .withType("com.example.order.created")
      .build();

  private static boolean passes(FilterSpec spec, CloudEvent event) {
    return FilterCompiler.compile(spec).test(event);
  }

  private static FilterSpec exact(String name, String value) {
    return new FilterSpec.Exact(Map.of(name, value));
  }

  @Test
  void exactMatchesOnlyTheWholeAttributeValue() {
    assertTrue(passes(exact("type", "com.example.order.created"), ORDER));
    assertFalse(passes(exact("type", "com.example.order"), ORDER));
    assertFalse(passes(exact("type", "COM.EXAMPLE.ORDER.CREATED"), ORDER));
  }

  @Test
  void exactWithSeveralAttributesNeedsAllOfThem() {
    FilterSpec both = new FilterSpec.Exact(Map.of("type", "com.example.order.created", "source", "/shop/eu"));
    assertTrue(passes(both, ORDER));
    assertFalse(passes(both, BARE));
  }

  @Test
  void exactComparesEveryContextAttributeAsItsStringForm() {
    assertTrue(passes(exact("id", "o-1"), ORDER));
    assertTrue(passes(exact("source", "/shop/eu"), ORDER));
    assertTrue(passes(exact("specversion", "1.0"), ORDER));
    assertTrue(passes(exact("subject", "invoices/42.pdf"), ORDER));
    assertTrue(passes(exact("time", "2024-05-01T10:00:00Z"), ORDER));
    assertTrue(passes(exact("datacontenttype", "application/json"), ORDER));
    CloudEvent withSchema = CloudEventBuilder.v1(BARE).withDataSchema(URI.create("https://example.com/o.json")).build();
    assertTrue(passes(exact("dataschema", "https://example.com/o.json"), withSchema));
  }

  @Test
  void exactComparesExtensionsAsStrings() {
    assertTrue(passes(exact("region", "eu-west"), ORDER));
    assertTrue(passes(exact("amount", "150"), ORDER));
    assertTrue(passes(exact("priority", "true"), ORDER));
    assertFalse(passes(exact("amount", "15"), ORDER));
  }

  @Test
  void anAbsentAttributeMatchesNoDialect() {
    assertFalse(passes(exact("subject", ""), BARE));
    assertFalse(passes(exact("region", "eu-west"), BARE));
    assertFalse(passes(new FilterSpec.Prefix(Map.of("subject", "")), BARE));
    assertFalse(passes(new FilterSpec.Suffix(Map.of("time", "Z")), BARE));
    assertFalse(passes(new FilterSpec.Prefix(Map.of("dataschema", "https://")), BARE));
  }

  @Test
  void prefixMatchesTheStartOfTheValue() {
    assertTrue(passes(new FilterSpec.Prefix(Map.of("type", "com.example.")), ORDER));
    assertTrue(passes(new FilterSpec.Prefix(Map.of("region", "eu-")), ORDER));
    assertFalse(passes(new FilterSpec.Prefix(Map.of("type", "example.")), ORDER));
    assertFalse(passes(new FilterSpec.Prefix(Map.of("type", "com.example.", "source", "/shop")), BARE));
  }

  @Test
  void suffixMatchesTheEndOfTheValue() {
    assertTrue(passes(new FilterSpec.Suffix(Map.of("subject", ".pdf")), ORDER));
    assertTrue(passes(new FilterSpec.Suffix(Map.of("amount", "50")), ORDER));
    assertFalse(passes(new FilterSpec.Suffix(Map.of("subject", ".png")), ORDER));
  }

  @Test
  void allHoldsWhenEverySubFilterHoldsAndWhenEmpty() {
    FilterSpec all = new FilterSpec.All(List.of(exact("type", "com.example.order.created"),
        new FilterSpec.Prefix(Map.of("source", "/shop"))));
    assertTrue(passes(all, ORDER));
    assertFalse(passes(all, BARE));
    assertTrue(passes(new FilterSpec.All(List.of()), BARE));
  }

  @Test
  void anyHoldsWhenOneSubFilterHoldsAndNeverWhenEmpty() {
    FilterSpec any = new FilterSpec.Any(List.of(exact("source", "/nowhere"), exact("source", "/other")));
    assertTrue(passes(any, BARE));
    assertFalse(passes(any, ORDER));
    assertFalse(passes(new FilterSpec.Any(List.of()), ORDER));
  }

  @Test
  void notInvertsItsSubFilterIncludingForAbsentAttributes() {
    assertFalse(passes(new FilterSpec.Not(exact("region", "eu-west")), ORDER));
    assertTrue(passes(new FilterSpec.Not(exact("region", "eu-west")), BARE));
  }

  @Test
  void nestedFiltersCombineAsWritten() {
    FilterSpec nested = new FilterSpec.All(List.of(
        new FilterSpec.Prefix(Map.of("type", "com.example.")),
        new FilterSpec.Any(List.of(exact("region", "eu-west"), exact("region", "us-east"))),
        new FilterSpec.Not(new FilterSpec.Suffix(Map.of("subject", ".tmp"))),
        new FilterSpec.Sql("amount >= 100")));
    assertTrue(passes(nested, ORDER));
    assertFalse(passes(nested, BARE));
    CloudEvent temporary = CloudEventBuilder.v1(ORDER).withSubject("scratch.tmp").build();
    assertFalse(passes(nested, temporary));
  }

  @Test
  void sqlCombinesLikeAndNumericComparisonOnAnIntegerExtension() {
    FilterSpec sql = new FilterSpec.Sql("type LIKE 'com.example.%' AND amount > 100");
    assertTrue(passes(sql, ORDER));
    assertFalse(passes(sql, CloudEventBuilder.v1(ORDER).withExtension("amount", 100).build()));
    assertFalse(passes(sql, CloudEventBuilder.v1(ORDER).withType("org.example.order").build()));
  }

  @Test
  void sqlThatFailsToEvaluateFiltersTheEventOut() {
    // amount is missing from BARE: a MISSING_ATTRIBUTE evaluation error, not a match
    assertFalse(passes(new FilterSpec.Sql("amount > 100"), BARE));
    assertFalse(passes(new FilterSpec.Sql("NOT (amount > 100)"), BARE));
    // "eu-west" cannot be cast to an integer: the SDK yields true together with a CAST error
    assertFalse(passes(new FilterSpec.Sql("region < 3"), ORDER));
    assertTrue(passes(new FilterSpec.Sql("NOT EXISTS amount"), BARE));
  }

  @Test
  void sqlOrThatHoldsOnOneSideIsNoErrorEvenWhenTheOtherSideLacksItsAttribute() {
    assertTrue(passes(new FilterSpec.Sql("amount > 100 OR type = 'com.example.order.created'"), BARE));
  }

  @Test
  void sqlThatDoesNotYieldTrueFiltersTheEventOut() {
    assertFalse(passes(new FilterSpec.Sql("amount"), ORDER));
    assertFalse(passes(new FilterSpec.Sql("'true'"), ORDER));
  }

  @Test
  void compileThrowsTheSameMessageForABadExpressionAnywhereInTheTree() {
    String bad = "amount > ";
    String expected = CesqlExpressions.problem(bad).orElseThrow();
    IllegalArgumentException direct =
        assertThrows(IllegalArgumentException.class, () -> EventFilter.compile(new FilterSpec.Sql(bad)));
    assertEquals(expected, direct.getMessage());
    IllegalArgumentException nested = assertThrows(IllegalArgumentException.class, () -> EventFilter.compile(
        new FilterSpec.Any(List.of(exact("type", "a"), new FilterSpec.Not(new FilterSpec.Sql(bad))))));
    assertEquals(expected, nested.getMessage());
  }

  @Test
  void aCompiledFilterGivesTheSameAnswerEveryTime() {
    EventFilter filter = EventFilter.compile(new FilterSpec.Sql("region LIKE 'eu-%'"));
    for (int i = 0; i < 3; i++) {
      assertTrue(filter.test(ORDER));
      assertFalse(filter.test(BARE));
    }
  }
}
