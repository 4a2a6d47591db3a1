package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a mesh file into a {@link MeshConfig}, checking it against {@code schemas/mesh.schema.json} and
 * reporting every problem at once, each with its line, column and key. Create one and reuse it: building
 * it compiles the schema. Thread-safe.
 */
public final class MeshLoader {

  // File order, so that the message reads top to bottom like the file.
  private static final Comparator<MeshProblem> IN_FILE_ORDER =
      Comparator.comparingInt(MeshProblem::line).thenComparingInt(MeshProblem::column);

  private final YamlSchema schema;

  /**
   * A loader with the schema from the classpath.
   *
   * @throws IllegalStateException when the fnmesh-schemas jar is not on the classpath
   */
  public MeshLoader() {
    this.schema = YamlSchema.fromClasspath(YamlSchema.MESH);
  }

  /**
   * Reads and checks a UTF-8 mesh file; problems name the file as the path was given.
   *
   * @throws MeshException when the file cannot be read or is not a valid mesh file
   */
  public MeshConfig load(Path file) {
    String source = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MeshException(List.of(new MeshProblem(source, 0, 0, "", unreadable(e))));
    }
    return parse(text, source);
  }

  /**
   * Checks a mesh file's text.
   *
   * @param sourceName the name problems give the text, usually its path
   * @throws MeshException when the text is not YAML, is empty, breaks the schema, repeats a key, has
   *     a trigger naming no declared function or breaks a rule of {@link FunctionChecks}, {@link TriggerChecks},
   *     {@link ScaleChecks} or {@link TopicChecks}; it lists every such problem
   */
  public MeshConfig parse(String yaml, String sourceName) {
    YamlDocument document = YamlDocument.compose(yaml, sourceName);
    List<MeshProblem> problems = new ArrayList<>(document.problems());
    problems.addAll(schema.validate(document));
    problems.addAll(MeshBinder.checkReferences(document));
    problems.addAll(FunctionChecks.check(document));
    problems.addAll(TriggerChecks.check(document));
    problems.addAll(ScaleChecks.check(document));
    problems.addAll(TopicChecks.check(document));
    if (!problems.isEmpty()) {
      throw new MeshException(problems.stream().distinct().sorted(IN_FILE_ORDER).toList());
    }
    return MeshBinder.bind(document.root());
  }

  private static String unreadable(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "cannot read the mesh file: it does not exist";
    }
    if (e instanceof AccessDeniedException) {
      return "cannot read the mesh file: permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "cannot read the mesh file: it is not UTF-8 text";
    }
    return "cannot read the mesh file: " + e;
  }
}
