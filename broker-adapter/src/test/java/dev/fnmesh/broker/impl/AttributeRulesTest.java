package dev.fnmesh.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.broker.EventProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Optional;

/** The CloudEvents 1.0 value rules for attributes given as text, each refusal naming the attribute. */
class AttributeRulesTest {

  private static Map<String, String> valid() {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("specversion", "1.0");
    attributes.put("id", "order-1");
    attributes.put("source", "/shop/orders");
    attributes.put("type", "dev.fnmesh.order.created");
    return attributes;
  }

  private static Optional<String> fieldAtFault(Map<String, String> attributes) {
    return AttributeRules.check(attributes).map(EventProblem::field);
  }

  @Test
  void acceptsTheRequiredAttributesAlone() {
    assertEquals(Optional.empty(), AttributeRules.check(valid()));
  }

  @Test
  void acceptsEveryOptionalAttributeWithAValidValue() {
    Map<String, String> attributes = valid();
    attributes.put("datacontenttype", "application/json; charset=utf-8");
    attributes.put("dataschema", "https://schemas.fnmesh.dev/order.json");
    attributes.put("subject", "order-1");
    attributes.put("time", "2026-11-29T15:04:05+01:00");
    attributes.put("traceid2", "abc");

    assertEquals(Optional.empty(), AttributeRules.check(attributes));
  }

  @Test
  void acceptsSpecVersion03() {
    Map<String, String> attributes = valid();
    attributes.put("specversion", "0.3");

    assertEquals(Optional.empty(), AttributeRules.check(attributes));
  }

  @Test
  void refusesASourceThatIsNotAUriReference() {
    Map<String, String> attributes = valid();
    attributes.put("source", "shop orders");

    assertEquals(Optional.of("source"), fieldAtFault(attributes));
  }

  @Test
  void refusesARelativeDataSchema() {
    Map<String, String> attributes = valid();
    attributes.put("dataschema", "/schemas/order.json");

    assertEquals(Optional.of(EventProblem.badRequest("dataschema",
        "dataschema '/schemas/order.json' must be an absolute URI")), AttributeRules.check(attributes));
  }

  @Test
  void refusesAnEmptySubject() {
    Map<String, String> attributes = valid();
    attributes.put("subject", "");

    assertEquals(Optional.of("subject"), fieldAtFault(attributes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "application/", "text plain", ""})
  void refusesADataContentTypeThatIsNotAMediaType(String contentType) {
    Map<String, String> attributes = valid();
    attributes.put("datacontenttype", contentType);

    assertEquals(Optional.of("datacontenttype"), fieldAtFault(attributes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-29", "2026-11-29T15:04:05", "1764428645", "2026-13-01T00:00:00Z"})
  void refusesATimeThatIsNotAnRfc3339Timestamp(String time) {
    Map<String, String> attributes = valid();
    attributes.put("time", time);

    assertEquals(Optional.of("time"), fieldAtFault(attributes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"traceId", "trace_id", "trace-id", "trace.id"})
  void refusesAnAttributeNameThatIsNotLowerCaseLettersAndDigits(String name) {
    Map<String, String> attributes = valid();
    attributes.put(name, "abc");

    assertEquals(Optional.of(name), fieldAtFault(attributes));
  }

  @Test
  void checksTheRequiredAttributesBeforeAnyOther() {
    Map<String, String> attributes = valid();
    attributes.remove("type");
    attributes.put("time", "not a time");

    assertEquals(Optional.of("type"), fieldAtFault(attributes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "text/plain; charset=utf-8",
      "application/vnd.api+json", "a/b", "a/b  ", "a/b;", "x-!#$&^_.+-/y", "Application/JSON;q=1", "a/b\t\n;q"})
  void acceptsMediaTypes(String value) {
    assertTrue(AttributeRules.isMediaType(value), value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "json", "/json", "application/", "application/json x",
      "app lication/json", "application//json", "a/b/c", "ä/b", "a/b,c", " a/b", "a/b\u2003", "a/b; x\ny"})
  void refusesWhatIsNoMediaType(String value) {
    assertFalse(AttributeRules.isMediaType(value), value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "traceid", "abc123", "0"})
  void acceptsLowerCaseLettersAndDigitsAsNames(String name) {
    assertTrue(AttributeRules.isValidName(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "traceId", "trace-id", "trace_id", "ü", "a b"})
  void refusesOtherNames(String name) {
    assertFalse(AttributeRules.isValidName(name), name);
  }

  @Test
  void mediaTypesAndNamesAreJudgedAsTheSpecificationsPatternsJudgeThem() {
    Pattern mediaType = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+\\s*(;.*)?");
    Pattern name = Pattern.compile("[a-z0-9]+");
    String alphabet = "aZ09/;; \t\n\r\u000B\f\u2003\u0085!#+-.=\"ä";
    Random random = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(8);
      for (int i = 0; i < length; i++) {
        value.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = value.toString();
      assertEquals(mediaType.matcher(text).matches(), AttributeRules.isMediaType(text), () -> "media type '" + text + "'");
      assertEquals(name.matcher(text).matches(), AttributeRules.isValidName(text), () -> "name '" + text + "'");
    }
  }
}
