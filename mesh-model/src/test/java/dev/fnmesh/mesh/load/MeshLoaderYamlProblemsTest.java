package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import static dev.fnmesh.mesh.load.MeshFiles.LOADER;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mesh file that cannot be read, is not YAML, is empty or repeats a key is rejected with a problem that
 * says where and why, before or alongside the schema check.
 */
class MeshLoaderYamlProblemsTest {

  @Test
  void shouldReportAYamlSyntaxErrorAtItsLine() {
    assertEquals(problem(3, 2, "", "invalid YAML: expected <block end>, but found '<block mapping start>', "
        + "while parsing a block mapping started at line 1 (check the indentation)"), onlyProblemOf("""
            functions:
              f: { java: f }
             triggers: {}
            """));
  }

  @Test
  void shouldReportAnUnclosedFlowMappingAtTheEndOfTheFile() {
    MeshProblem problem = onlyProblemOf("functions:\n  f: { java: f\n");

    assertEquals(3, problem.line());
    assertEquals("invalid YAML: expected ',' or '}', but got <stream end>, while parsing a flow mapping "
        + "started at line 2", problem.message());
  }

  @Test
  void shouldReportATabUsedForIndentation() {
    MeshProblem problem = onlyProblemOf("functions:\n\tf: { java: f }\n");

    assertEquals(2, problem.line());
    assertTrue(problem.message().contains("Do not use \\t(TAB) for indentation"), problem::toString);
  }

  @Test
  void shouldRefuseAFewHundredBytesOfNestedAliasesThatExpandToMillionsOfValues() {
    // A hundred values, then five levels of ten aliases each (fifty, the most SnakeYAML allows): 10^7
    // values once expanded, from a file of under a kilobyte.
    StringBuilder bomb = new StringBuilder("x0: &x0 [" + String.join(", ", Collections.nCopies(100, "a"))
        + "]\n");
    for (int level = 1; level <= 5; level++) {
      String previous = "*x" + (level - 1);
      bomb.append("x").append(level).append(": &x").append(level).append(" [")
          .append(String.join(", ", Collections.nCopies(10, previous))).append("]\n");
    }
    assertTrue(bomb.length() < 1024, "the file is small: " + bomb.length());

    long started = System.nanoTime();
    MeshProblem problem = onlyProblemOf(bomb.toString());

    assertTrue(problem.message().startsWith("the file expands to more than 100000 values"), problem::toString);
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5),
        "refused while expanding, not after");
  }

  @Test
  void shouldRefuseNestingDeeperThanAMeshNeeds() {
    String deep = "functions: " + "[".repeat(60) + "]".repeat(60) + "\n";

    MeshProblem problem = onlyProblemOf(deep);

    assertTrue(problem.message().contains("Nesting Depth exceeded max 40"), problem::toString);
  }

  @Test
  void shouldReportMoreThanOneDocument() {
    assertEquals(
        problem(2, 1, "", "invalid YAML: expected a single document in the stream, but found another document"),
        onlyProblemOf("functions: { f: { java: f } }\n---\nfunctions: { g: { java: g } }\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n"})
  void shouldReportAnEmptyFile(String yaml) {
    assertEquals(problem(1, 1, "",
        "the file is empty: expected a mapping with the top-level keys functions, triggers and topics"), onlyProblemOf(yaml));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "- functions | a list",
      "just text   | \"just text\"",
      "42          | 42"})
  void shouldReportAFileThatIsNotAMapping(String yaml, String shownAs) {
    assertEquals(problem(1, 1, "", "must be a mapping with the top-level keys functions, triggers and topics, got " + shownAs),
        onlyProblemOf(yaml));
  }

  @Test
  void shouldReportADuplicateKeyAtItsSecondOccurrence() {
    assertEquals(problem(4, 3, "functions.f", "duplicate key \"f\": it is already defined at line 2; keep only one"),
        onlyProblemOf("""
            functions:
              f: { java: f }
              g: { java: g }
              f: { java: other }
            """));
  }

  @Test
  void shouldReportDuplicateKeysAndSchemaProblemsTogether() {
    assertEquals(List.of(
            problem(1, 28, "functions.f.java",
                "duplicate key \"java\": it is already defined at line 1; keep only one"),
            problem(2, 1, "functions", "duplicate key \"functions\": it is already defined at line 1; keep only one"),
            problem(3, 1, "triggrs", "unknown key \"triggrs\" (did you mean \"triggers\"?); "
                + "allowed keys are functions, triggers, topics")),
        problemsOf("""
            functions: { f: { java: f, java: g } }
            functions: {}
            triggrs: {}
            """));
  }

  @Test
  void shouldReportAKeyThatIsNotAPlainName() {
    assertEquals(problem(2, 5, "functions", "a key must be a plain name, not a mapping or a list"), onlyProblemOf("""
        functions:
          ? [a, b]
          : { java: f }
        """));
  }

  @Test
  void shouldReportAnUnsupportedTagAndKeepCheckingTheRest() {
    assertEquals(List.of(
            problem(1, 25, "functions.f.java", "unsupported YAML tag !class: remove the tag"),
            problem(2, 1, "triggers", "must be a mapping, got \"none\"")),
        problemsOf("functions: { f: { java: !class Foo } }\ntriggers: none\n"));
  }

  @Test
  void shouldReportAFileThatDoesNotExistWithoutPosition(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");

    MeshException invalid = assertThrows(MeshException.class, () -> LOADER.load(missing));

    assertEquals(List.of(new MeshProblem(missing.toString(), 0, 0, "",
        "cannot read the mesh file: it does not exist")), invalid.problems());
    assertEquals(missing + ": cannot read the mesh file: it does not exist", invalid.problems().get(0).toString());
  }

  @Test
  void shouldReportAFileThatIsNotUtf8(@TempDir Path dir) throws IOException {
    Path latin1 = Files.write(dir.resolve("mesh.yaml"), new byte[] {'f', ':', ' ', (byte) 0xE9, '\n'});

    MeshException invalid = assertThrows(MeshException.class, () -> LOADER.load(latin1));

    assertEquals("cannot read the mesh file: it is not UTF-8 text", invalid.problems().get(0).message());
  }

  @Test
  void shouldReportADirectoryGivenAsTheFile(@TempDir Path dir) {
    MeshException invalid = assertThrows(MeshException.class, () -> LOADER.load(dir));

    assertTrue(invalid.problems().get(0).message().startsWith("cannot read the mesh file: "), invalid::getMessage);
  }
}
