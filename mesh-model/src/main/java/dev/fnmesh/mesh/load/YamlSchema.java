package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schema of a YAML file fnmesh reads, such as {@code schemas/mesh.schema.json} from the
 * fnmesh-schemas jar. It checks a composed document and turns each validation error into a problem at the
 * offending key, worded from the schema itself. Thread-safe once built.
 */
public final class YamlSchema {

  /** Where the mesh file's schema is on the classpath. */
  static final String MESH = "schemas/mesh.schema.json";

  /**
   * Draft 2020-12 plus {@code errorMessage}, the phrase {@link SchemaMessages} words a problem with (the
   * ajv-errors convention). Declared as an annotation so the validator neither warns that it does not know
   * it nor treats it as a constraint.
   */
  private static final Dialect DIALECT = Dialect.builder(Dialects.getDraft202012())
      .keyword(new AnnotationKeyword(SchemaMessages.ERROR_MESSAGE))
      .build();

  private final JsonNode raw;
  private final Schema schema;
  private final SchemaMessages messages;

  private YamlSchema(JsonNode raw) {
    this.raw = raw;
    this.schema = SchemaRegistry.withDefaultDialect(DIALECT).getSchema(raw);
    this.messages = new SchemaMessages(raw);
  }

  /**
   * Loads a schema from the classpath.
   *
   * @param resource where it is, such as {@code schemas/access.schema.json}
   * @throws IllegalStateException when the fnmesh-schemas jar is not on the classpath
   * @throws UncheckedIOException when the schema cannot be read
   */
  public static YamlSchema fromClasspath(String resource) {
    try (InputStream in = YamlSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath: add the fnmesh-schemas jar");
      }
      return new YamlSchema(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** Every way the document breaks the schema, each located at the key concerned; empty when valid. */
  public List<MeshProblem> validate(YamlDocument document) {
    List<MeshProblem> problems = new ArrayList<>();
    for (Error error : schema.validate(document.root())) {
      if (!isInsideOneOfBranch(error)) {
        problems.add(toProblem(error, document));
      }
    }
    return problems;
  }

  private MeshProblem toProblem(Error error, YamlDocument document) {
    List<Object> path = elements(error.getInstanceLocation());
    JsonNode holder = messages.resolve(raw.at(pointer(error.getSchemaLocation().getFragment(), 1)));
    String property = error.getProperty();
    switch (error.getKeyword()) {
      case "additionalProperties" -> {
        path.add(property);
        return document.problemAt(path, messages.unknownKey(property, holder));
      }
      case "propertyNames" -> {
        path.add(property);
        JsonNode names = messages.resolve(holder.path("propertyNames"));
        return document.problemAt(path, messages.invalidValue(names, "pattern", TextNode.valueOf(property)));
      }
      case "required" -> {
        return document.problemAt(path, messages.missingKey(property, holder));
      }
      case "oneOf" -> {
        return document.problemAt(path, messages.notExactlyOne(holder, error.getInstanceNode()));
      }
      default -> {
        return document.problemAt(path, messages.invalidValue(holder, error.getKeyword(), error.getInstanceNode()));
      }
    }
  }

  /**
   * Whether the error comes from inside a oneOf branch. Branches only say which key picks the kind, so
   * the oneOf error itself, worded from all branches, is the one to report.
   */
  private static boolean isInsideOneOfBranch(Error error) {
    NodePath fragment = error.getSchemaLocation().getFragment();
    for (int i = 0; i < fragment.getNameCount() - 1; i++) {
      if ("oneOf".equals(String.valueOf(fragment.getElement(i)))) {
        return true;
      }
    }
    return false;
  }

  private static List<Object> elements(NodePath path) {
    List<Object> elements = new ArrayList<>();
    for (int i = 0; i < path.getNameCount(); i++) {
      elements.add(path.getElement(i));
    }
    return elements;
  }

  /** The JSON pointer of a schema fragment without its last {@code drop} elements. */
  private static String pointer(NodePath fragment, int drop) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < fragment.getNameCount() - drop; i++) {
      pointer.append('/').append(String.valueOf(fragment.getElement(i)).replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }
}
