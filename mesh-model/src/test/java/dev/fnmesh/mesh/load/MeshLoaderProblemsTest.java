package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshProblem;
import static dev.fnmesh.mesh.load.MeshFiles.FUNCTION_KEYS;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

/**
 * A mesh file that breaks the schema or names an undeclared function is rejected with a problem at the
 * offending key: its line, column and dotted path, what is expected and the value found.
 */
class MeshLoaderProblemsTest {

  private static final String NAME_RULE = "must be a DNS-label-like name: 1 to 63 lowercase letters, digits or "
      + "'-', starting and ending with a letter or digit";

  @Test
  void shouldReportAPartitionCountThatIsNotAnIntegerWithTheValueFound() {
    assertEquals(
        problem(6, 7, "triggers.greet.kafka.partitions", "must be an integer between 1 and 10000, got \"eight\""),
        onlyProblemOf("""
            functions:
              greeter: { java: greeter }
            triggers:
              greet:
                kafka:
                  partitions: eight
                  topic: greetings
                function: greeter
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "10001", "2.5", "-1"})
  void shouldReportAPartitionCountOutOfRange(String partitions) {
    assertEquals(
        problem(3, 17, "triggers.t.kafka.partitions", "must be an integer between 1 and 10000, got " + partitions),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              t: { kafka: { partitions: %s, topic: t }, function: f }
            """.formatted(partitions)));
  }

  @Test
  void shouldReportAMistypedKeyAsUnknownSuggestTheIntendedOneAndListTheAllowedKeys() {
    assertEquals(problem(4, 27, "triggers.t.kafka.partiton",
            "unknown key \"partiton\" (did you mean \"partitions\"?); allowed keys are topic, partitions, "
                + "replicationFactor, retention, config, dedup, startFrom"),
        onlyProblemOf("""
            functions:
              f: { java: f }
            triggers:
              t: { kafka: { topic: t, partiton: 3 }, function: f }
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "stray: 1\nfunctions: { f: { java: f } }",
      "functions: { f: { java: f, stray: 1 } }",
      "functions: { f: { java: f } }\ntriggers: { t: { kafka: { topic: t }, function: f, stray: 1 } }",
      "functions: { f: { java: f } }\ntriggers: { t: { kafka: { topic: t, stray: 1 }, function: f } }",
      "functions: {f: {java: f}}\ntriggers: {t: {kafka: {topic: t}, function: f, reply: {topic: r, stray: 1}}}"
  })
  void shouldRejectAnUnknownKeyInEveryMapping(String yaml) {
    MeshProblem problem = onlyProblemOf(yaml);

    assertTrue(problem.key().endsWith("stray"), problem::toString);
    assertTrue(problem.message().startsWith("unknown key \"stray\"; allowed keys are "), problem::toString);
  }

  @Test
  void shouldReportAMissingRequiredKeyAtItsParentAndNameIt() {
    assertEquals(problem(4, 5, "triggers.t.kafka", "missing required key \"topic\" (the topic to consume)"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                kafka: { partitions: 3 }
                function: f
            """));
    assertEquals(problem(2, 3, "triggers.t", "missing required key \"function\" "
        + "(the name of the function that receives the events; or steps: a sequence of functions)"), onlyProblemOf("""
            triggers:
              t: { kafka: { topic: t } }
            functions: { f: { java: f } }
            """));
    assertEquals(problem(1, 1, "", "missing required key \"functions\" (the functions of the mesh, by name)"),
        onlyProblemOf("triggers: {}"));
  }

  @Test
  void shouldReportATriggerWithoutEventSource() {
    assertEquals(problem(3, 3, "triggers.t", "must have exactly one event source, one of: kafka, webhook, cron; found none"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              t: { function: f }
            """));
  }

  @Test
  void shouldReportAFunctionWithoutKind() {
    assertEquals(problem(2, 3, "functions.f",
            "must have exactly one function kind, one of: java, http, command, image; found none"),
        onlyProblemOf("""
            functions:
              f: { blocking: true }
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Greeter", "-greeter", "greeter-", "greet_er", "greet.er",
      "a123456789012345678901234567890123456789012345678901234567890123"})
  void shouldReportAFunctionOrTriggerNameThatIsNotADnsLabel(String name) {
    assertEquals(problem(2, 3, "functions." + name, NAME_RULE + ", got \"" + name + "\""), onlyProblemOf("""
        functions:
          %s: { java: f }
        """.formatted(name)));
    assertEquals(problem(3, 3, "triggers." + name, NAME_RULE + ", got \"" + name + "\""), onlyProblemOf("""
        functions: { f: { java: f } }
        triggers:
          %s: { kafka: { topic: t }, function: f }
        """.formatted(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"'.'", "'..'", "'with space'", "'slash/es'", "''"})
  void shouldReportAnIllegalKafkaTopicName(String topic) {
    MeshProblem problem = onlyProblemOf("""
        functions: { f: { java: f } }
        triggers: { t: { kafka: { topic: %s }, function: f } }
        """.formatted(topic));

    assertEquals(problem(2, 27, "triggers.t.kafka.topic",
        MeshFiles.TOPIC_RULE + ", got \"" + topic.substring(1, topic.length() - 1) + "\""), problem);
  }

  @Test
  void shouldAcceptTopicNamesAtTheLengthLimitAndRejectLongerOnes() {
    String limit = "t".repeat(249);
    String mesh = "functions: { f: { java: f } }\ntriggers: { t: { kafka: { topic: %s }, function: f } }";

    assertEquals(limit, parse(mesh.formatted(limit)).triggers().get("t").topic());
    assertEquals(MeshFiles.TOPIC_RULE + ", got \"" + "t".repeat(77) + "...\"",
        onlyProblemOf(mesh.formatted(limit + "t")).message());
  }

  @Test
  void shouldSuggestQuotesWhenANumberStandsWhereAStringBelongs() {
    assertEquals(
        problem(2, 27, "triggers.t.kafka.topic", MeshFiles.TOPIC_RULE + ", got 2024; put it in quotes to make it a string"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: 2024 }, function: f } }
            """));
  }

  @Test
  void shouldReportAnUnknownStartFromWithTheAllowedValues() {
    assertEquals(problem(2, 37, "triggers.t.kafka.startFrom", "must be earliest, latest or { timestamp: <RFC 3339 time> }, got \"oldest\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t, startFrom: oldest }, function: f } }
            """));
  }

  @Test
  void shouldReportAStartTimeThatIsNoTimeAtItsKey() {
    assertEquals(problem(2, 50, "triggers.t.kafka.startFrom.timestamp",
            "must be an RFC 3339 time with its offset, such as 2026-12-01T00:00:00Z, got \"yesterday\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t, startFrom: { timestamp: yesterday } }, function: f } }
            """));
  }

  @Test
  void shouldReportAStartTimeOfTheRightShapeThatIsNoDay() {
    assertEquals(problem(2, 50, "triggers.t.kafka.startFrom.timestamp",
            "must be an RFC 3339 time such as 2026-12-01T00:00:00Z, got \"2026-13-01T00:00:00Z\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t, startFrom: { timestamp: 2026-13-01T00:00:00Z } }, function: f } }
            """));
  }

  @Test
  void shouldReportAStartFromMappingWithoutItsTime() {
    assertEquals(List.of(
            problem(2, 37, "triggers.t.kafka.startFrom", "missing required key \"timestamp\" (an RFC 3339 time with"
                + " its offset, such as 2026-12-01T00:00:00Z)"),
            problem(2, 50, "triggers.t.kafka.startFrom.offset", "unknown key \"offset\"; allowed keys are timestamp")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t, startFrom: { offset: 3 } }, function: f } }
            """));
  }

  @Test
  void shouldReportValuesOfTheWrongType() {
    List<MeshProblem> problems = problemsOf("""
        functions:
          f: { java: f, blocking: maybe, config: [a] }
          g: { java: two words }
        triggers: []
        """);

    assertEquals(List.of(
        problem(2, 17, "functions.f.blocking", "must be true or false, got \"maybe\""),
        problem(2, 34, "functions.f.config", "must be a mapping, got a list"),
        problem(3, 8, "functions.g.java", "must be a registered Java function name or a fully qualified class name, "
            + "without spaces, got \"two words\""),
        problem(4, 1, "triggers", "must be a mapping, got an empty list")), problems);
  }

  @Test
  void shouldReportAConfigKeyWithoutValue() {
    assertEquals(problem(4, 15, "functions.f.config.delayMs", "must have a value: remove the key or give it one, "
        + "got an empty value"), onlyProblemOf("""
            functions:
              f:
                java: f
                config: { delayMs: }
            """));
  }

  @Test
  void shouldReportATriggerNamingAnUndeclaredFunctionAtItsFunctionKeyAndListTheDeclaredOnes() {
    assertEquals(problem(7, 5, "triggers.greet.function",
            "no function named \"gretter\" is declared under functions; declared functions are greeter, slow"),
        onlyProblemOf("""
            functions:
              greeter: { java: greeter }
              slow: { java: sleep }
            triggers:
              greet:
                kafka: { topic: greetings }
                function: gretter
            """));
  }

  @Test
  void shouldReportEveryProblemAtOnceInFileOrder() {
    MeshException invalid = assertThrows(MeshException.class, () -> parse("""
        functions:
          greeter: { java: greeter, blockng: true }
        triggers:
          greet:
            kafka:
              topic: greetings
              partitions: eight
            function: greter
        """));

    assertEquals(List.of(
        problem(2, 29, "functions.greeter.blockng",
            "unknown key \"blockng\" (did you mean \"blocking\"?); allowed keys are " + FUNCTION_KEYS),
        problem(7, 7, "triggers.greet.kafka.partitions", "must be an integer between 1 and 10000, got \"eight\""),
        problem(8, 5, "triggers.greet.function",
            "no function named \"greter\" is declared under functions; declared functions are greeter")),
        invalid.problems());
    assertEquals(String.join(System.lineSeparator(),
        "invalid mesh file, 3 problems:",
        "mesh.yaml:2:29: functions.greeter.blockng: unknown key \"blockng\" (did you mean \"blocking\"?); "
            + "allowed keys are " + FUNCTION_KEYS,
        "mesh.yaml:7:7: triggers.greet.kafka.partitions: must be an integer between 1 and 10000, got \"eight\"",
        "mesh.yaml:8:5: triggers.greet.function: no function named \"greter\" is declared under functions; "
            + "declared functions are greeter"), invalid.getMessage());
  }
}
