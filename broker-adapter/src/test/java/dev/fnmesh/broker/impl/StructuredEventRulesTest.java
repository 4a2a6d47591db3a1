package dev.fnmesh.broker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fnmesh.broker.EventProblem;
import org.junit.jupiter.api.Test;

import java.util.Optional;

/** The JSON event format's typing rules on top of the attribute rules. */
class StructuredEventRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StructuredEventRules rules = new StructuredEventRules();

  private static ObjectNode event() {
    return JSON.createObjectNode()
        .put("specversion", "1.0")
        .put("id", "order-1")
        .put("source", "/shop/orders")
        .put("type", "dev.fnmesh.order.created");
  }

  private Optional<String> fieldAtFault(ObjectNode event) {
    return rules.check(event).map(EventProblem::field);
  }

  @Test
  void acceptsStringIntegerAndBooleanExtensions() {
    assertEquals(Optional.empty(), rules.check(event().put("traceid", "abc").put("attempt", 3).put("replay", false)));
  }

  // CloudEvents "Integer" is a 32-bit signed number; the SDK refuses larger ones with a message that
  // names no attribute, so the rules must refuse them first.
  @Test
  void refusesAnIntegerExtensionBeyond32Bits() {
    assertEquals(Optional.of("attempt"), fieldAtFault(event().put("attempt", 9_999_999_999L)));
  }

  @Test
  void refusesAFractionalExtension() {
    assertEquals(Optional.of("ratio"), fieldAtFault(event().put("ratio", 0.5)));
  }

  @Test
  void refusesAnArrayExtension() {
    ObjectNode event = event();
    event.putArray("tags").add("a");

    assertEquals(Optional.of("tags"), fieldAtFault(event));
  }

  @Test
  void refusesABooleanContextAttribute() {
    assertEquals(Optional.of(EventProblem.badRequest("subject", "attribute 'subject' must be a string, got a JSON BOOLEAN")),
        rules.check(event().put("subject", true)));
  }

  @Test
  void ignoresNullAttributesAsAbsent() {
    assertEquals(Optional.empty(), rules.check(event().putNull("subject").putNull("traceid").putNull("data_base64")));
  }

  @Test
  void refusesDataBase64ThatIsNotAString() {
    assertEquals(Optional.of("data_base64"), fieldAtFault(event().put("data_base64", 42)));
  }

  @Test
  void acceptsAnyJsonAsData() {
    ObjectNode event = event().put("datacontenttype", "application/json");
    event.putArray("data").add(1).add("two").addObject().put("three", 3.0);

    assertEquals(Optional.empty(), rules.check(event));
  }
}
