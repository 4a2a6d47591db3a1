package dev.fnmesh.mesh.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.math.BigInteger;
import java.util.function.Consumer;

/**
 * Turns YAML scalars into JSON values with SnakeYAML's own rules, so that {@code 0x1F}, {@code 1_000},
 * {@code ~} or {@code yes} mean in a mesh file what they mean in any YAML file. Not thread-safe: SnakeYAML
 * constructors cache what they built, so each document gets its own instance.
 */
final class ScalarValues extends SafeConstructor {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  ScalarValues() {
    super(new LoaderOptions());
  }

  /**
   * The JSON value of a scalar. A scalar SnakeYAML cannot construct, such as one with a custom tag, is
   * reported to {@code problems} and kept as its text so that the rest of the file is still checked.
   */
  JsonNode toJson(ScalarNode scalar, Consumer<String> problems) {
    Object value;
    try {
      value = constructObject(scalar);
    } catch (YAMLException e) {
      problems.accept("unsupported YAML tag " + scalar.getTag().getValue() + ": remove the tag");
      return JSON.textNode(scalar.getValue());
    } catch (RuntimeException e) {
      // SnakeYAML's constructors of the standard tags fail on a scalar they cannot read with a
      // ClassCastException (!!map), NumberFormatException (!!int abc) or IllegalArgumentException (!!binary).
      problems.accept("\"" + scalar.getValue() + "\" cannot be read as a YAML " + scalar.getTag().getValue()
          + ": remove the tag or give a value of that type");
      return JSON.textNode(scalar.getValue());
    }
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof String text) {
      return JSON.textNode(text);
    }
    if (value instanceof Boolean bool) {
      return JSON.booleanNode(bool);
    }
    if (value instanceof Integer number) {
      return JSON.numberNode(number);
    }
    if (value instanceof Long number) {
      return JSON.numberNode(number);
    }
    if (value instanceof BigInteger number) {
      return JSON.numberNode(number);
    }
    if (value instanceof Double number) {
      return JSON.numberNode(number);
    }
    // Timestamps and binaries have no JSON type: the text as written is what a user would expect.
    return JSON.textNode(scalar.getValue());
  }
}
