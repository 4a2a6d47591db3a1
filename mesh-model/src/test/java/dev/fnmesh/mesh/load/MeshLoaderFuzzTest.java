package dev.fnmesh.mesh.load;

import static dev.fnmesh.mesh.load.MeshFiles.LOADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.TextMutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Any text given as a mesh file becomes a mesh or a {@link MeshException} listing its problems; no text
 * makes the loader throw anything else (a number too large, a value of another type, a stack overflow).
 */
class MeshLoaderFuzzTest {

  private static final String SOURCE = "fuzz.yaml";
  /** The example mesh the project ships, and the corpus: files that once broke the loader or reach far. */
  private static final List<String> SEEDS = Stream.concat(Stream.of(read(Path.of("../examples/mesh.yaml"))),
      Stream.of("every-section", "tricky-values", "yaml-features", "control-characters", "truncated-escape")
          .map(name -> TextMutations.resource("fuzz/mesh/" + name + ".yaml"))).toList();
  private static final List<String> TOKENS = List.of("\n", "\n  ", "  ", "\t", ": ", "- ", "{", "}", "[", "]", ",",
      "&a ", "*a", "<<: *a", "? ", "|", ">-", "!!int ", "!!float ", "!!bool ", "!!binary ", "!!timestamp ", "!!map ",
      "!!seq ", "!!str ", "!!null ", "!foo ", "!<tag:yaml.org,2002:int> ", "%YAML 1.1\n---\n", "---\n", "...\n", "#",
      "'", "\"", "\\u", "~", "null", "yes", "0x", "0o", "0b", "1_0", "1e999", "-.inf", ".nan", "99999999999999999999",
      "2026-13-45", "functions", "triggers", "topics", "kafka", "webhook", "cron", "partitions", "scale", "filter",
      "sql", "delivery", "PT1S", "java");

  @Property(seed = "20261207", tries = 700)
  void everyTextLoadsOrIsRefusedWithProblems(@ForAll("texts") String yaml) {
    loadsOrIsRefused(yaml);
  }

  @Property(seed = "20261208", tries = 700)
  void everyMeshWithValuesOfTheWrongTypeOrRangeLoadsOrIsRefusedWithProblems(@ForAll("trees") String yaml) {
    loadsOrIsRefused(yaml);
  }

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void everyFileOfTheCorpusLoadsOrIsRefusedWithProblems(@ForAll("corpus") String yaml) {
    loadsOrIsRefused(yaml);
  }

  @Example
  void aStandardTagOnAScalarItCannotBeReadFromIsAProblemOfTheValue() {
    MeshException refused = assertThrows(MeshException.class,
        () -> LOADER.parse("functions: { f: { java: f, config: { a: !!map , b: !!int abc } } }", SOURCE));

    assertEquals(List.of(
        new MeshProblem(SOURCE, 1, 41, "functions.f.config.a", "\"\" cannot be read as a YAML tag:yaml.org,2002:map: "
            + "remove the tag or give a value of that type"),
        new MeshProblem(SOURCE, 1, 52, "functions.f.config.b", "\"abc\" cannot be read as a YAML "
            + "tag:yaml.org,2002:int: remove the tag or give a value of that type")), refused.problems());
  }

  @Example
  void anEscapeCutOffByTheEndOfTheFileIsInvalidYaml() {
    MeshException refused = assertThrows(MeshException.class,
        () -> LOADER.parse("functions:\n  a: { java: \"\\x", SOURCE));

    assertEquals(1, refused.problems().size());
    assertTrue(refused.problems().get(0).message().startsWith("invalid YAML: the YAML reader failed on this text "
        + "(java.lang.NumberFormatException"), refused::getMessage);
  }

  @Example
  void aClassNameWithAControlCharacterThatTheSchemaAllowsLoads() {
    MeshConfig mesh = LOADER.parse("functions: { a: { java: \"\\x1c\" } }", SOURCE);

    assertEquals(new JavaKind("\u001c", JavaKind.DEFAULT_BLOCKING, Optional.empty()), mesh.functions().get("a").kind());
  }

  private static void loadsOrIsRefused(String yaml) {
    MeshConfig mesh;
    try {
      mesh = LOADER.parse(yaml, SOURCE);
    } catch (MeshException refused) {
      assertEquals(MeshException.Kind.INVALID, refused.kind());
      assertFalse(refused.problems().isEmpty());
      for (MeshProblem problem : refused.problems()) {
        assertEquals(SOURCE, problem.source());
        assertFalse(problem.message().isBlank(), problem::toString);
      }
      return;
    }
    assertNotNull(mesh);
  }

  @Provide
  Arbitrary<String> texts() {
    return TextMutations.around(SEEDS, TOKENS);
  }

  @Provide
  Arbitrary<String> trees() {
    return MeshTrees.around(SEEDS.subList(0, 3));
  }

  @Provide
  Arbitrary<String> corpus() {
    return Arbitraries.of(SEEDS);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
