package dev.fnmesh.mesh.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Mesh files for the fuzz tests that stay YAML but break the mesh: values of seed files replaced by values of
 * the wrong type, out of range or oddly written, keys removed or added, then written out as YAML or JSON.
 */
final class MeshTrees {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MeshTrees() {}

  /** Where an edit lands is taken modulo the number of places in the tree. */
  record Edit(Kind kind, int at, String key, JsonNode value) {

    enum Kind { SET, REMOVE, ADD }

    void apply(JsonNode root) {
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(Math.floorMod(at, containers.size()));
      if (target instanceof ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = kind == Kind.ADD || names.isEmpty() ? key : names.get(Math.floorMod(at, names.size()));
        if (kind == Kind.REMOVE) {
          object.remove(name);
        } else {
          object.set(name, value.deepCopy());
        }
      } else if (target instanceof ArrayNode array) {
        int index = array.isEmpty() ? 0 : Math.floorMod(at, array.size());
        if (kind == Kind.REMOVE && !array.isEmpty()) {
          array.remove(index);
        } else if (kind == Kind.ADD || array.isEmpty()) {
          array.insert(index, value.deepCopy());
        } else {
          array.set(index, value.deepCopy());
        }
      }
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
      if (node.isContainerNode()) {
        containers.add(node);
        node.forEach(child -> collect(child, containers));
      }
    }
  }

  /** Seeds with one to four edits, written as YAML mostly and as JSON (which YAML reads too) sometimes. */
  static Arbitrary<String> around(List<String> seedTexts) {
    List<JsonNode> seeds = seedTexts.stream().map(MeshTrees::read).toList();
    TreeSet<String> keys = new TreeSet<>();
    seeds.forEach(seed -> collectKeys(seed, keys));
    keys.addAll(List.of("", "unknown", "<<", "Functions", "trigger", "__proto__"));
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(Edit.Kind.class), Arbitraries.integers().between(0, 1 << 16),
        Arbitraries.of(keys), values()).as(Edit::new);
    return Combinators.combine(Arbitraries.of(seeds), edit.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
        .as((seed, edits, asYaml) -> {
          JsonNode tree = seed.deepCopy();
          edits.forEach(one -> one.apply(tree));
          try {
            return asYaml ? YAML.writeValueAsString(tree) : JSON.writeValueAsString(tree);
          } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Values of every JSON type, edge numbers, durations, schedules and names a loader must range-check. */
  private static Arbitrary<JsonNode> values() {
    List<JsonNode> fixed = List.of(NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(0), NODES.numberNode(-1),
        NODES.numberNode(1), NODES.numberNode(Integer.MAX_VALUE + 1L), NODES.numberNode(Long.MIN_VALUE),
        NODES.numberNode(new BigInteger("99999999999999999999999999")), NODES.numberNode(1.5), NODES.numberNode(1e300),
        NODES.numberNode(Double.NaN), NODES.numberNode(Double.NEGATIVE_INFINITY), NODES.textNode(""), NODES.textNode(" "),
        NODES.textNode("x"), NODES.textNode("f"), NODES.textNode("PT0S"), NODES.textNode("-PT1S"),
        NODES.textNode("PT9999999999999999999H"), NODES.textNode("P1000000000Y"), NODES.textNode("*/0 * * * *"),
        NODES.textNode("@every 0s"), NODES.textNode("__consumer_offsets"), NODES.textNode("fnmesh.state"),
        NODES.textNode(".."), NODES.textNode("a b"), NODES.textNode("/~2"), NODES.textNode("type LIKE '\\E'"),
        NODES.textNode("(".repeat(70)), NODES.textNode("x".repeat(300)), NODES.textNode("\uD800é\u0000"),
        NODES.arrayNode(), NODES.objectNode(), NODES.arrayNode().add(1).add("a").add(NODES.objectNode()),
        NODES.objectNode().set("a", NODES.objectNode().put("b", 1)));
    Arbitrary<JsonNode> texts = Arbitraries.strings().ofMaxLength(12).map(NODES::textNode);
    Arbitrary<JsonNode> numbers = Arbitraries.longs().map(NODES::numberNode);
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(fixed)), Tuple.of(2, texts),
        Tuple.of(1, numbers));
  }

  private static void collectKeys(JsonNode node, TreeSet<String> keys) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      keys.add(field.getKey());
    }
    node.forEach(child -> collectKeys(child, keys));
  }

  private static JsonNode read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
