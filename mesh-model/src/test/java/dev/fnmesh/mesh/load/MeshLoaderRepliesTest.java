package dev.fnmesh.mesh.load;

import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.ReplyRoute;
import dev.fnmesh.mesh.SequenceStep;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TriggerSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A trigger's replies routed by filter to several topics, and a sequence of functions declared by {@code steps:}. */
class MeshLoaderRepliesTest {

  @Test
  void shouldBindReplyRoutesWithTheFilterLanguageOfTriggersAndARouteWithoutFilterForAll() {
    TriggerSpec orders = parse("""
        functions: { f: { java: f } }
        triggers:
          orders:
            kafka: { topic: orders }
            function: f
            reply:
              - { filter: { type: com.example.line }, topic: lines }
              - { filter: { sql: "amount > 100" }, topic: big }
              - { topic: audit }
        """).triggers().get("orders");

    assertEquals(List.of(
        new ReplyRoute(Optional.of(new FilterSpec.Exact(Map.of("type", "com.example.line"))), "lines"),
        new ReplyRoute(Optional.of(new FilterSpec.Sql("amount > 100")), "big"),
        ReplyRoute.to("audit")), orders.reply());
    assertEquals(List.of("lines", "big", "audit"), orders.replyTopics());
  }

  @Test
  void shouldReportARouteWithoutTopicAndARouteFilterThatDoesNotParse() {
    List<MeshProblem> problems = problemsOf("""
        functions: { f: { java: f } }
        triggers:
          t:
            kafka: { topic: a }
            function: f
            reply: [ { filter: { sql: "amount >" }, topic: b }, { filter: { type: x } } ]
        """);

    assertTrue(problems.stream().anyMatch(p -> p.key().equals("triggers.t.reply[0].filter.sql")), problems.toString());
    assertTrue(problems.contains(MeshFiles.problem(6, 57, "triggers.t.reply[1]",
        "missing required key \"topic\" (the topic they are published to)")), problems.toString());
  }

  @Test
  void shouldCompileStepsIntoOneTriggerPerStepChainedByInternalTopics() {
    MeshConfig mesh = parse("""
        functions: { a: { java: a }, b: { java: b }, c: { java: c } }
        triggers:
          orders:
            kafka: { topic: orders, partitions: 3, startFrom: latest }
            filter: { type: com.example.order }
            delivery: { retry: 2, timeout: PT5S }
            steps: [ a, { function: b, delivery: { retry: 5 } }, c ]
            reply: { topic: done }
        """);

    assertEquals(List.of("orders", "orders-step-2", "orders-step-3"), List.copyOf(mesh.triggers().keySet()));
    TriggerSpec first = mesh.triggers().get("orders");
    TriggerSpec second = mesh.triggers().get("orders-step-2");
    TriggerSpec last = mesh.triggers().get("orders-step-3");
    assertEquals("orders", first.topic());
    assertEquals("a", first.function());
    assertTrue(first.filter().isPresent());
    assertEquals(List.of(ReplyRoute.to("fnmesh.step.orders.2")), first.reply());
    assertEquals(Optional.of(new SequenceStep("orders", 1, 3)), first.step());
    assertEquals(new KafkaSource("fnmesh.step.orders.2", dev.fnmesh.mesh.TopicSettings.of(3), StartFrom.EARLIEST),
        second.source());
    assertEquals("b", second.function());
    assertEquals(Optional.empty(), second.filter());
    assertEquals(5, second.delivery().retry());
    assertEquals(Duration.ofSeconds(5), second.delivery().timeout());
    assertEquals("fnmesh.orders.dlq", second.delivery().deadLetterTopic());
    assertEquals(List.of(ReplyRoute.to("fnmesh.step.orders.3")), second.reply());
    assertEquals(2, last.delivery().retry());
    assertEquals(List.of(ReplyRoute.to("done")), last.reply());
    assertEquals(Optional.of(new SequenceStep("orders", 3, 3)), last.step());
    assertTrue(mesh.publishableTopics().keySet().stream().noneMatch(topic -> topic.startsWith("fnmesh.")));
  }

  @Test
  void shouldReportAStepWhoseOwnOrderingBreaksTheTriggersExactlyOnce() {
    List<MeshProblem> problems = problemsOf("""
        functions: { a: { java: a } }
        triggers:
          s:
            kafka: { topic: x }
            delivery: { guarantee: exactly-once }
            steps: [ a, { function: a, delivery: { ordering: unordered } } ]
        """);

    assertEquals(List.of("triggers.s.steps[1].delivery"), problems.stream().map(MeshProblem::key).toList());
  }

  @Test
  void shouldReportAStepNamingNoFunctionAStepTriggerNameTakenAndBothFunctionAndSteps() {
    List<MeshProblem> problems = problemsOf("""
        functions: { a: { java: a } }
        triggers:
          s:
            kafka: { topic: x }
            steps: [ a, nope ]
          s-step-2: { kafka: { topic: y }, function: a }
          both: { kafka: { topic: z }, function: a, steps: [ a ] }
        """);

    assertTrue(problems.stream().anyMatch(p -> p.key().equals("triggers.s.steps[1]")
        && p.message().contains("no function named \"nope\"")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.key().equals("triggers.s.steps[1]")
        && p.message().contains("runs as trigger s-step-2")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.key().equals("triggers.both.steps")
        && p.message().contains("either function")), problems.toString());
  }
}
