package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML file (the mesh file, the access file) as a Jackson tree that a schema can check, plus the SnakeYAML
 * node tree it came from, which remembers where each key stands so that every problem points at a line of
 * the file. Limits on values and depth hold for every file, so a few bytes of aliases cannot expand to millions.
 */
public final class YamlDocument {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * The most values a mesh file may expand to, aliases followed: a mesh of hundreds of triggers needs tens of
   * thousands, while a few hundred bytes of nested aliases (a "billion laughs") would expand to millions.
   */
  static final int MAX_VALUES = 100_000;

  /** The deepest nesting of mappings and lists a mesh file may have; a mesh needs fewer than ten levels. */
  static final int MAX_DEPTH = 40;

  private final String source;
  private final Node yaml;
  private final JsonNode root;
  private final List<MeshProblem> problems = new ArrayList<>();
  private final ScalarValues scalars = new ScalarValues();
  // Nodes being converted: an alias back to one of them is a cycle that no JSON tree can hold.
  private final Set<Node> converting = Collections.newSetFromMap(new IdentityHashMap<>());
  private int values;

  private YamlDocument(String source, Node yaml) {
    this.source = source;
    this.yaml = yaml;
    this.root = toJson(yaml, new ArrayList<>());
  }

  /**
   * Composes one YAML document, rejecting duplicate keys.
   *
   * @throws MeshException when the text is not YAML, holds more than one document or is empty:
   *     then there is nothing further to check
   */
  public static YamlDocument compose(String text, String source) {
    LoaderOptions options = new LoaderOptions();
    // Merge keys (<<: *defaults) are resolved while composing so that merged keys keep their positions.
    options.setMergeOnCompose(true);
    options.setNestingDepthLimit(MAX_DEPTH);
    Node yaml;
    try {
      yaml = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new MeshException(List.of(syntaxProblem(source, e)));
    } catch (YAMLException e) {
      // Limits such as the alias count carry no position.
      throw new MeshException(List.of(new MeshProblem(source, 0, 0, "", "invalid YAML: " + e.getMessage())));
    } catch (RuntimeException e) {
      // SnakeYAML 2.4's scanner fails on some broken escapes, such as "\x at the end of the file, with a
      // NumberFormatException rather than a YAMLException.
      throw new MeshException(List.of(new MeshProblem(source, 0, 0, "", "invalid YAML: the YAML reader failed on "
          + "this text (" + e + "); check the escape sequences of double-quoted strings")));
    }
    // A document of only "---" composes to an empty null scalar rather than to nothing.
    if (yaml == null || yaml instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)
        && scalar.getValue().isEmpty()) {
      throw new MeshException(List.of(new MeshProblem(source, 1, 1, "",
          "the file is empty: expected a mapping with the top-level keys functions, triggers and topics")));
    }
    return new YamlDocument(source, yaml);
  }

  /** The document as a Jackson tree; a duplicate key keeps its first value. */
  public JsonNode root() {
    return root;
  }

  /** Problems found while composing that do not stop the schema check, such as duplicate keys. */
  public List<MeshProblem> problems() {
    return List.copyOf(problems);
  }

  /**
   * A problem located at a path of the tree: at the key when the path ends in a name, at the item when it
   * ends in a list index, at the start of the document when it is empty.
   *
   * @param path names ({@link String}) and list indices ({@link Integer}) from the root
   */
  public MeshProblem problemAt(List<?> path, String message) {
    Node node = yaml;
    Node located = yaml;
    for (Object element : path) {
      Node[] keyAndValue = child(node, element);
      if (keyAndValue == null) {
        break; // not in the file, e.g. a missing key: the deepest node found is the best position
      }
      located = keyAndValue[0];
      node = keyAndValue[1];
    }
    return at(located.getStartMark(), dotted(path), message);
  }

  /** The 1-based line {@link #problemAt} would give a problem at this path. */
  int lineOf(List<?> path) {
    return problemAt(path, "").line();
  }

  /** The dotted form of a path: {@code triggers.greet.kafka.partitions}, list items as {@code command[0]}. */
  static String dotted(List<?> path) {
    StringBuilder key = new StringBuilder();
    for (Object element : path) {
      if (element instanceof Integer) {
        key.append('[').append(element).append(']');
      } else {
        key.append(key.length() == 0 ? "" : ".").append(element);
      }
    }
    return key.toString();
  }

  /** The node that locates a child and the child itself, or null when there is no such child. */
  private static Node[] child(Node node, Object element) {
    if (node instanceof MappingNode mapping && element instanceof String name) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
          return new Node[] {key, tuple.getValueNode()}; // the first occurrence, as in root()
        }
      }
    } else if (node instanceof SequenceNode sequence && element instanceof Integer index
        && index < sequence.getValue().size()) {
      Node item = sequence.getValue().get(index);
      return new Node[] {item, item};
    }
    return null;
  }

  private JsonNode toJson(Node node, List<Object> path) {
    if (++values > MAX_VALUES) {
      // Thrown, not collected: going on would expand what the limit is there to stop.
      throw new MeshException(List.of(at(node.getStartMark(), dotted(path), "the file expands to more than "
          + MAX_VALUES + " values (through aliases, such as *name); a mesh file needs far fewer")));
    }
    if (!converting.add(node)) {
      problems.add(at(node.getStartMark(), dotted(path), "an alias refers to a node that contains it; "
          + "a mesh file cannot hold such a cycle"));
      return JSON.nullNode();
    }
    try {
      if (node instanceof MappingNode mapping) {
        return toObject(mapping, path);
      }
      if (node instanceof SequenceNode sequence) {
        ArrayNode array = JSON.arrayNode();
        for (Node item : sequence.getValue()) {
          path.add(array.size());
          array.add(toJson(item, path));
          path.remove(path.size() - 1);
        }
        return array;
      }
      return scalars.toJson((ScalarNode) node, message ->
          problems.add(at(node.getStartMark(), dotted(path), message)));
    } finally {
      converting.remove(node);
    }
  }

  private ObjectNode toObject(MappingNode mapping, List<Object> path) {
    ObjectNode object = JSON.objectNode();
    Map<String, Mark> firstSeen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(at(tuple.getKeyNode().getStartMark(), dotted(path),
            "a key must be a plain name, not a mapping or a list"));
        continue;
      }
      String name = keyNode.getValue();
      path.add(name);
      Mark first = firstSeen.putIfAbsent(name, keyNode.getStartMark());
      if (first != null) {
        problems.add(at(keyNode.getStartMark(), dotted(path), "duplicate key \"" + name
            + "\": it is already defined at line " + (first.getLine() + 1) + "; keep only one"));
      } else {
        object.set(name, toJson(tuple.getValueNode(), path));
      }
      path.remove(path.size() - 1);
    }
    return object;
  }

  private MeshProblem at(Mark mark, String key, String message) {
    return new MeshProblem(source, mark.getLine() + 1, mark.getColumn() + 1, key, message);
  }

  private static MeshProblem syntaxProblem(String source, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = String.valueOf(e.getProblem());
    StringBuilder message = new StringBuilder("invalid YAML: ");
    if (e.getContext() == null) {
      message.append(problem);
    } else if (problem.startsWith("but ")) {
      // The composer words some errors as context then problem: "expected a single document..., but found".
      message.append(e.getContext()).append(", ").append(problem);
    } else {
      message.append(problem).append(", ").append(e.getContext());
      if (e.getContextMark() != null && (mark == null || e.getContextMark().getLine() != mark.getLine())) {
        message.append(" started at line ").append(e.getContextMark().getLine() + 1);
      }
    }
    // SnakeYAML names block structure tokens like <block end>; nearly always the cause is indentation.
    if (problem.contains("<block")) {
      message.append(" (check the indentation)");
    }
    int line = mark == null ? 0 : mark.getLine() + 1;
    int column = mark == null ? 0 : mark.getColumn() + 1;
    return new MeshProblem(source, line, column, "", message.toString());
  }
}
