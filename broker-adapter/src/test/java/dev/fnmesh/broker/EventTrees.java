package dev.fnmesh.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CloudEvents that are valid and then changed by a few edits, as JSON trees (structured and batch mode)
 * and as header lists (binary mode): attributes set to values of any JSON type or odd text, removed, repeated
 * or added under odd names.
 */
final class EventTrees {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private EventTrees() {}

  /** A change to one attribute: set to a value, or removed when the value is absent. */
  record Edit(String name, JsonNode value) {}

  static Arbitrary<JsonNode> events() {
    Arbitrary<Edit> edit = Combinators.combine(names(), Arbitraries.oneOf(jsonValues(), Arbitraries.just(null)))
        .as(Edit::new);
    return Combinators.combine(Arbitraries.of("1.0", "0.3"), edit.list().ofMaxSize(5)).as((version, edits) -> {
      ObjectNode event = NODES.objectNode().put("specversion", version).put("id", "1").put("source", "/s")
          .put("type", "t");
      for (Edit one : edits) {
        if (one.value() == null) {
          event.remove(one.name());
        } else {
          event.set(one.name(), one.value());
        }
      }
      return event;
    });
  }

  static Arbitrary<JsonNode> batches() {
    return Arbitraries.frequencyOf(Tuple.of(9, events()), Tuple.of(1, jsonValues())).list().ofMaxSize(6)
        .map(elements -> {
          ArrayNode batch = NODES.arrayNode();
          elements.forEach(batch::add);
          return batch;
        });
  }

  /** The four required headers of binary mode, then edits: a header set, repeated or removed. */
  static Arbitrary<List<Map.Entry<String, String>>> binaryHeaders() {
    Arbitrary<String> headerNames = Arbitraries.oneOf(names().map(name -> "ce-" + name),
        Arbitraries.of("content-type", "Content-Type", "CE-ID", "Ce-Source", "ce-", "ce-ce-id", "x-other"));
    Arbitrary<Tuple.Tuple3<Integer, String, String>> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
        headerNames, EventInputs.attributeValues()).as(Tuple::of);
    return Combinators.combine(Arbitraries.of("1.0", "0.3"), edit.list().ofMaxSize(5)).as((version, edits) -> {
      List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("ce-specversion", version),
          Map.entry("ce-id", "1"), Map.entry("ce-source", "/s"), Map.entry("ce-type", "t")));
      for (Tuple.Tuple3<Integer, String, String> one : edits) {
        switch (one.get1()) {
          case 0 -> {
            headers.removeIf(header -> header.getKey().equalsIgnoreCase(one.get2()));
            headers.add(Map.entry(one.get2(), one.get3()));
          }
          case 1 -> headers.add(Map.entry(one.get2(), one.get3()));
          default -> headers.removeIf(header -> header.getKey().equalsIgnoreCase(one.get2()));
        }
      }
      return headers;
    });
  }

  /** A line of the binary corpus: {@code {"headers": [[name, value], ...], "body": text}}. */
  static Map.Entry<MultiMap, byte[]> binaryRequest(String line) {
    try {
      JsonNode request = JSON.readTree(line);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      request.get("headers").forEach(header -> headers.add(header.get(0).asText(), header.get(1).asText()));
      return Map.entry(headers, request.get("body").asText().getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Arbitrary<String> names() {
    return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(EventInputs.ATTRIBUTE_NAMES)),
        Tuple.of(1, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(4)));
  }

  /** Values of every JSON type, with the numbers and texts that break conversions. */
  static Arbitrary<JsonNode> jsonValues() {
    Arbitrary<JsonNode> texts = EventInputs.attributeValues().map(NODES::textNode);
    Arbitrary<JsonNode> numbers = Arbitraries.of(NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1.5),
        NODES.numberNode(Integer.MAX_VALUE + 1L), NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(1e300),
        NODES.numberNode(new BigInteger("99999999999999999999999999")), NODES.numberNode(Double.NaN));
    Arbitrary<JsonNode> others = Arbitraries.of(NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false),
        NODES.arrayNode(), NODES.objectNode(), NODES.arrayNode().add(1).add("a"), NODES.objectNode().put("a", "b"));
    return Arbitraries.frequencyOf(Tuple.of(6, texts), Tuple.of(2, numbers), Tuple.of(2, others),
        Tuple.of(1, Arbitraries.integers().map(NODES::numberNode)));
  }
}
