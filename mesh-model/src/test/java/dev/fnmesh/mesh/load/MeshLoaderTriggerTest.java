package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.ReplyRoute;
import dev.fnmesh.mesh.SequenceStep;
import dev.fnmesh.mesh.StartFrom;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.WebhookSource;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every kind of trigger shares: exactly one source, the topic its events pass through, a reply
 * topic, a filter, delivery settings and a data schema; and the documented example of all of them.
 */
class MeshLoaderTriggerTest {

  /** The example of the mesh file contract, every key of every source. */
  private static final String CONTRACT_EXAMPLE = """
      functions:
        greeter: { java: greeter }
      triggers:
        orders:
          kafka: { topic: orders, partitions: 8, startFrom: earliest }
          function: greeter
          reply: { topic: orders.replies }
          filter:
            type: com.example.order.created
            source: /shop
            prefix: { type: com.example. }
            suffix: { subject: .pdf }
            all: [ {type: a}, {prefix: {source: /x}} ]
            any: [ {type: a}, {type: b} ]
            not: { type: com.example.test }
            sql: "type LIKE 'com.example.%' AND amount > 100"
          delivery:
            retry: 3
            backoffPolicy: exponential
            backoffDelay: PT0.2S
            backoffMax: PT10S
            timeout: PT30S
            deadLetter: { topic: orders.dlq }
            ordering: ordered
            maxInFlight: 100
          dataschema: order.schema.json
        push:
          webhook:
            path: github
            provider: github
            type: com.example.push
            source: { header: X-Sender }
            subject: { pointer: /ref }
            id: { header: X-Request-Id }
            hmac: { header: X-Signature, algorithm: sha256, prefix: "sha256=" }
            secret: { env: GITHUB_WEBHOOK_SECRET }
          topic: fnmesh.push
          partitions: 8
          function: greeter
        tick:
          cron:
            schedule: "*/5 * * * *"
            timezone: Europe/London
            type: dev.fnmesh.cron.tick
            data: { any: json }
            missed: skip
          function: greeter
      """;

  @Test
  void shouldAcceptTheContractExampleWithEverySourceAndOptionalKey() {
    Map<String, TriggerSpec> triggers = parse(CONTRACT_EXAMPLE).triggers();

    TriggerSpec orders = triggers.get("orders");
    assertEquals(new KafkaSource("orders", TopicSettings.of(8), StartFrom.EARLIEST), orders.source());
    assertEquals(List.of(ReplyRoute.to("orders.replies")), orders.reply());
    assertEquals(Optional.of("order.schema.json"), orders.dataschema());
    assertEquals(new DeliverySettings(3, DeliverySettings.BackoffPolicy.EXPONENTIAL, Duration.ofMillis(200),
        Optional.of(Duration.ofSeconds(10)), Duration.ofSeconds(30), "orders.dlq", DeliverySettings.Ordering.ORDERED,
        100), orders.delivery());
    assertEquals(7, assertInstanceOf(FilterSpec.All.class, orders.filter().orElseThrow()).filters().size());
    assertEquals("fnmesh.push", triggers.get("push").topic());
    assertInstanceOf(WebhookSource.class, triggers.get("push").source());
    assertInstanceOf(CronSource.class, triggers.get("tick").source());
  }

  @Test
  void shouldTakeTheTopicAndPartitionsOfAKafkaTriggerFromItsSource() {
    TriggerSpec trigger = parse("""
        functions: { f: { java: f } }
        triggers: { t: { kafka: { topic: in, partitions: 3 }, function: f } }
        """).triggers().get("t");

    assertEquals("in", trigger.topic());
    assertEquals(3, trigger.partitions());
  }

  @Test
  void shouldGiveWebhookAndCronTriggersTheTopicFnmeshDotTheirNameAndEightPartitionsByDefault() {
    Map<String, TriggerSpec> triggers = parse("""
        functions: { f: { java: f } }
        triggers:
          push: { webhook: { path: push }, function: f }
          tick: { cron: { schedule: '@hourly' }, function: f }
        """).triggers();

    assertEquals(List.of("fnmesh.push", "fnmesh.tick"),
        List.of(triggers.get("push").topic(), triggers.get("tick").topic()));
    assertEquals(List.of(8, 8), List.of(triggers.get("push").partitions(), triggers.get("tick").partitions()));
  }

  @Test
  void shouldReadTheTopicAndPartitionsOfAWebhookOrCronTrigger() {
    TriggerSpec trigger = parse("""
        functions: { f: { java: f } }
        triggers: { tick: { cron: { schedule: '@daily' }, topic: ticks, partitions: 1, function: f } }
        """).triggers().get("tick");

    assertEquals("ticks", trigger.topic());
    assertEquals(1, trigger.partitions());
  }

  @Test
  void shouldLeaveFilterAndDataschemaEmptyAndDeliveryAtItsDefaultsWhenOmitted() {
    TriggerSpec trigger = parse("""
        functions: { f: { java: f } }
        triggers: { orders: { kafka: { topic: orders }, function: f } }
        """).triggers().get("orders");

    assertEquals(Optional.empty(), trigger.filter());
    assertEquals(Optional.empty(), trigger.dataschema());
    assertEquals(DeliverySettings.defaults("orders"), trigger.delivery());
  }

  @Test
  void shouldReportATopicOrPartitionsAtTriggerLevelOfAKafkaTriggerAndPointToTheKafkaKeys() {
    assertEquals(List.of(
            problem(5, 5, "triggers.t.topic", "a kafka trigger consumes the topic of its source: use kafka.topic "
                + "(a trigger-level topic is for webhook and cron triggers only)"),
            problem(6, 5, "triggers.t.partitions", "a kafka trigger's topic is created with the partitions of its "
                + "source: use kafka.partitions (trigger-level partitions are for webhook and cron triggers only)")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                kafka: { topic: in }
                topic: other
                partitions: 3
                function: f
            """));
  }

  @Test
  void shouldReportAnIllegalTopicOrPartitionCountOfAWebhookTrigger() {
    assertEquals(List.of(
            problem(2, 53, "triggers.t.topic", MeshFiles.TOPIC_RULE + ", got \"a b\""),
            problem(2, 67, "triggers.t.partitions", "must be an integer between 1 and 10000, got 0")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers: { t: { webhook: { path: a }, function: f, topic: 'a b', partitions: 0 } }
            """));
  }

  @Test
  void shouldReportATriggerWithTwoSourcesNamingBoth() {
    assertEquals(problem(3, 3, "triggers.t",
            "must have exactly one event source, one of: kafka, webhook, cron; found kafka and cron"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              t: { kafka: { topic: a }, cron: { schedule: '@daily' }, function: f }
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {"order.schema.json", "orders/v2/created.json", "a_b-c.json"})
  void shouldAcceptADataschemaThatIsARelativeJsonFileName(String file) {
    assertEquals(Optional.of(file), parse("""
        functions: { f: { java: f } }
        triggers: { t: { kafka: { topic: a }, function: f, dataschema: %s } }
        """.formatted(file)).triggers().get("t").dataschema());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../secret.json", "a/../../b.json", "/etc/order.json", "order.yaml", "./order.json",
      "order.json/", "'order schema.json'", "''"})
  void shouldReportADataschemaThatIsNoRelativeJsonFileName(String file) {
    MeshProblem problem = onlyProblemOf("""
        functions: { f: { java: f } }
        triggers: { t: { kafka: { topic: a }, function: f, dataschema: %s } }
        """.formatted(file));

    assertEquals(problem(2, 52, "triggers.t.dataschema", "must be the relative path of a .json file in the "
        + "schemas directory, such as order.schema.json: letters, digits, '.', '_', '-' and '/', without a leading '/' or "
        + "any '.' or '..' folder, got \"" + file.replace("'", "") + "\""), problem);
  }

  @Test
  void shouldStillReportATriggerNamingAnUndeclaredFunctionForEverySource() {
    assertEquals(List.of(
            problem(3, 36, "triggers.hook.function",
                "no function named \"g\" is declared under functions; declared functions are f"),
            problem(4, 41, "triggers.tick.function",
                "no function named \"h\" is declared under functions; declared functions are f")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              hook: { webhook: { path: hook }, function: g }
              tick: { cron: { schedule: '@daily' }, function: h }
            """));
  }

  @Test
  void shouldStartATriggerFromATimeGivenWithItsOffset() {
    TriggerSpec trigger = parse("""
        functions: { f: { java: f } }
        triggers:
          t:
            kafka: { topic: t, startFrom: { timestamp: "2026-12-01T01:00:00+01:00" } }
            function: f
        """).triggers().get("t");

    assertEquals(StartFrom.at(Instant.parse("2026-12-01T00:00:00Z")),
        ((KafkaSource) trigger.source()).startFrom());
  }
}
