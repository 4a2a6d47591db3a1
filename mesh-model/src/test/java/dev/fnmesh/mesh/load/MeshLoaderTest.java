package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TopicSettings;
import static dev.fnmesh.mesh.load.MeshFiles.LOADER;
import static dev.fnmesh.mesh.load.MeshFiles.javaFunction;
import static dev.fnmesh.mesh.load.MeshFiles.kafkaTrigger;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A valid mesh file becomes records, in file order, with every omitted optional key at its default. */
class MeshLoaderTest {

  /** The example of the mesh file documentation. */
  private static final String DOCUMENTED_EXAMPLE = """
      functions:
        greeter: { java: greeter }            # a Java function by registered short name or fully qualified class
        slow: { java: sleep, blocking: false, config: { defaultMs: 50 } }
      triggers:
        greet:
          kafka: { topic: greetings, partitions: 8, startFrom: earliest }
          function: greeter
          reply: { topic: greetings.replies }  # optional
      """;

  @Test
  void shouldParseTheDocumentedExampleIntoRecords() {
    MeshConfig mesh = parse(DOCUMENTED_EXAMPLE);

    assertEquals(new MeshConfig(
        Map.of(
            "greeter", javaFunction("greeter", "greeter", Map.of()),
            "slow", javaFunction("slow", "sleep", Map.of("defaultMs", 50))),
        Map.of("greet", kafkaTrigger("greet", new KafkaSource("greetings", TopicSettings.of(8), StartFrom.EARLIEST), "greeter",
            Optional.of("greetings.replies"))),
        Map.of()),
        mesh);
  }

  @Test
  void shouldApplyTheDefaultsOfEveryOmittedOptionalKey() {
    MeshConfig mesh = parse("""
        functions:
          echo: { java: dev.fnmesh.examples.Echo }
        triggers:
          in:
            kafka: { topic: in }
            function: echo
        """);

    assertEquals(javaFunction("echo", "dev.fnmesh.examples.Echo", Map.of()), mesh.functions().get("echo"));
    assertEquals(kafkaTrigger("in", new KafkaSource("in", TopicSettings.of(8), StartFrom.EARLIEST), "echo", Optional.empty()),
        mesh.triggers().get("in"));
  }

  @Test
  void shouldReadEveryOptionalKeyWhenGiven() {
    MeshConfig mesh = parse("""
        functions:
          slow: { java: sleep, blocking: true }
        triggers:
          late:
            kafka: { topic: late_events-v2, partitions: 10000, startFrom: latest }
            function: slow
            reply: { topic: late.replies }
        """);

    assertEquals(new JavaKind("sleep", true, Optional.empty()), mesh.functions().get("slow").kind());
    assertEquals(kafkaTrigger("late", new KafkaSource("late_events-v2", TopicSettings.of(10000), StartFrom.LATEST), "slow",
        Optional.of("late.replies")), mesh.triggers().get("late"));
  }

  @Test
  void shouldKeepFunctionsAndTriggersInFileOrder() {
    MeshConfig mesh = parse("""
        functions:
          zeta: { java: z }
          alpha: { java: a }
          mid: { java: m }
        triggers:
          t2: { kafka: { topic: b }, function: mid }
          t1: { kafka: { topic: a }, function: zeta }
        """);

    assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(mesh.functions().keySet()));
    assertEquals(List.of("t2", "t1"), List.copyOf(mesh.triggers().keySet()));
  }

  @Test
  void shouldAcceptAMeshWithoutTriggers() {
    assertEquals(Map.of(), parse("functions: { echo: { java: echo } }").triggers());
  }

  @Test
  void shouldHandFunctionConfigOverAsPlainValuesInFileOrder() {
    Map<String, Object> config = parse("""
        functions:
          f:
            java: f
            config:
              name: demo
              count: 3
              big: 12345678901234567890
              ratio: 0.5
              enabled: true
              hex: 0x1F
              tags: [a, 1]
              nested: { inner: ~, list: [] }
        """).functions().get("f").config();

    assertEquals(List.of("name", "count", "big", "ratio", "enabled", "hex", "tags", "nested"),
        List.copyOf(config.keySet()));
    assertEquals("demo", config.get("name"));
    assertEquals(3, config.get("count"));
    assertEquals(new BigInteger("12345678901234567890"), config.get("big"));
    assertEquals(0.5, config.get("ratio"));
    assertEquals(true, config.get("enabled"));
    assertEquals(31, config.get("hex"));
    assertEquals(List.of("a", 1), config.get("tags"));
    Map<?, ?> nested = (Map<?, ?>) config.get("nested");
    assertEquals(List.of("inner", "list"), List.copyOf(nested.keySet()));
    assertNull(nested.get("inner"));
    assertEquals(List.of(), nested.get("list"));
  }

  @Test
  void shouldMakeEveryMapOfTheResultUnmodifiable() {
    MeshConfig mesh = parse("functions: { f: { java: f, config: { nested: { a: 1 } } } }");

    assertThrows(UnsupportedOperationException.class, () -> mesh.functions().clear());
    assertThrows(UnsupportedOperationException.class, () -> mesh.triggers().clear());
    assertThrows(UnsupportedOperationException.class, () -> mesh.functions().get("f").config().clear());
    assertThrows(UnsupportedOperationException.class,
        () -> ((Map<?, ?>) mesh.functions().get("f").config().get("nested")).clear());
  }

  @Test
  void shouldResolveAnchorsAliasesAndMergeKeysWithOverrides() {
    MeshConfig mesh = parse("""
        functions:
          base: &java { java: worker, blocking: true }
          copy:
            <<: *java
            blocking: false
            config: { mode: copy }
        triggers:
          a: { kafka: &topic { topic: shared, partitions: 3 }, function: base }
          b: { kafka: *topic, function: copy }
        """);

    // Keys given next to a merge key override the merged ones, as YAML specifies.
    assertEquals(javaFunction("copy", "worker", Map.of("mode", "copy")), mesh.functions().get("copy"));
    assertEquals(mesh.triggers().get("a").source(), mesh.triggers().get("b").source());
  }

  @Test
  void shouldLoadAFileFromDisk(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("mesh.yaml"), DOCUMENTED_EXAMPLE, StandardCharsets.UTF_8);

    assertEquals(parse(DOCUMENTED_EXAMPLE), LOADER.load(file));
  }

  @Test
  void shouldReadTheFileAsUtf8AndNameItAsGivenInProblems(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("mesh.yaml"), "functions:\n  grüße: { java: x }\n",
        StandardCharsets.UTF_8);

    MeshException invalid = assertThrows(MeshException.class, () -> LOADER.load(file));

    assertEquals(List.of(new MeshProblem(file.toString(), 2, 3, "functions.grüße", "must be a DNS-label-like name: "
        + "1 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit, got \"grüße\"")),
        invalid.problems());
  }
}
