package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Guarantee;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A trigger's delivery settings: each key read, each left-out key at its default, each bad value located. */
class MeshLoaderDeliveryTest {

  private static final String DURATION_RULE = PositiveDuration.RULE;

  private static DeliverySettings deliveryOf(String delivery) {
    return parse("""
        functions: { f: { java: f } }
        triggers:
          orders:
            kafka: { topic: orders }
            function: f
            delivery: %s
        """.formatted(delivery)).triggers().get("orders").delivery();
  }

  @Test
  void shouldReadEveryDeliveryKey() {
    assertEquals(new DeliverySettings(5, BackoffPolicy.LINEAR, Duration.ofSeconds(1), Optional.of(Duration.ofMinutes(1)),
            Duration.ofMillis(1500), "orders.failed", Ordering.UNORDERED, 250),
        deliveryOf("{ retry: 5, backoffPolicy: linear, backoffDelay: PT1S, backoffMax: PT1M, timeout: PT1.5S, "
            + "deadLetter: { topic: orders.failed }, ordering: unordered, maxInFlight: 250 }"));
  }

  @Test
  void shouldReadOrderingByKeyWithItsInFlightLimit() {
    DeliverySettings delivery = deliveryOf("{ ordering: key, maxInFlight: 32 }");
    assertEquals(Ordering.KEY, delivery.ordering());
    assertEquals(32, delivery.maxInFlight());
  }

  @Test
  void shouldApplyTheDefaultsOfEveryLeftOutKeyWithTheDeadLetterTopicNamedAfterTheTrigger() {
    assertEquals(new DeliverySettings(2, BackoffPolicy.EXPONENTIAL, Duration.ofMillis(200), Optional.empty(),
            Duration.ofSeconds(30), "fnmesh.orders.dlq", Ordering.ORDERED, 100),
        deliveryOf("{ retry: 2 }"));
    assertEquals(DeliverySettings.defaults("orders"), deliveryOf("{}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.2S", "PT30S", "PT5M", "PT1H", "P1D", "P1DT2H3M4.5S", "PT0.000000001S"})
  void shouldAcceptPositiveIsoDurations(String duration) {
    assertEquals(Duration.parse(duration), deliveryOf("{ timeout: %s }".formatted(duration)).timeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"200ms", "30s", "pt30s", "-PT1S", "PT-1S", "P", "PT", "P1W", "P1M", "PT1.5H", "''"})
  void shouldReportADurationThatIsNoIsoDurationWithItsLine(String duration) {
    assertEquals(problem(7, 7, "triggers.orders.delivery.backoffDelay",
            DURATION_RULE + ", got \"" + duration.replace("'", "") + "\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              orders:
                kafka: { topic: orders }
                function: f
                delivery:
                  backoffDelay: %s
            """.formatted(duration)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "P0D", "PT0.0S", "P0DT0H0M0S"})
  void shouldReportAZeroDurationAsNotPositive(String duration) {
    assertEquals(problem(2, 64, "triggers.t.delivery.timeout", DURATION_RULE + ", got \"" + duration + "\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t }, function: f, delivery: { timeout: %s } } }
            """.formatted(duration)));
  }

  @Test
  void shouldReportANumberGivenAsDurationWithoutSuggestingQuotes() {
    assertEquals(problem(2, 64, "triggers.t.delivery.backoffMax", DURATION_RULE + ", got 30"), onlyProblemOf("""
        functions: { f: { java: f } }
        triggers: { t: { kafka: { topic: t }, function: f, delivery: { backoffMax: 30 } } }
        """));
  }

  @Test
  void shouldReportEveryOtherBadDeliveryValue() {
    assertEquals(List.of(
            problem(7, 7, "triggers.t.delivery.retry", "must be an integer between 0 and 100, got 101"),
            problem(8, 7, "triggers.t.delivery.backoffPolicy", "must be exponential or linear, got \"fibonacci\""),
            problem(9, 21, "triggers.t.delivery.deadLetter.topic", MeshFiles.TOPIC_RULE
                + ", got \"dead letters\""),
            problem(10, 7, "triggers.t.delivery.ordering", "must be one of ordered, unordered or key, got \"random\""),
            problem(11, 7, "triggers.t.delivery.maxInFlight", "must be an integer between 1 and 10000, got 0"),
            problem(12, 7, "triggers.t.delivery.retries",
                "unknown key \"retries\"; allowed keys are retry, backoffPolicy, "
                    + "backoffDelay, backoffMax, timeout, deadLetter, ordering, maxInFlight, guarantee, batch")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                kafka: { topic: t }
                function: f
                delivery:
                  retry: 101
                  backoffPolicy: fibonacci
                  deadLetter: { topic: dead letters }
                  ordering: random
                  maxInFlight: 0
                  retries: 3
            """));
  }

  @Test
  void shouldDeliverOneEventPerInvocationUnlessABatchIsAsked() {
    assertEquals(Optional.empty(), deliveryOf("{}").batch());
    assertEquals(Optional.of(new BatchSettings(20, Duration.ofMillis(50), 4096)),
        deliveryOf("{ batch: { maxEvents: 20, maxWait: PT0.05S, maxBytes: 4096 } }").batch());
  }

  @Test
  void shouldApplyTheBatchDefaultsToEveryLeftOutBatchKey() {
    assertEquals(Optional.of(BatchSettings.defaults()), deliveryOf("{ batch: {} }").batch());
    assertEquals(Optional.of(new BatchSettings(10, BatchSettings.DEFAULT_MAX_WAIT, BatchSettings.DEFAULT_MAX_BYTES)),
        deliveryOf("{ batch: { maxEvents: 10 } }").batch());
  }

  @Test
  void shouldReadABatchBesideEveryOrderingAndExactlyOnce() {
    for (String ordering : List.of("ordered", "unordered", "key")) {
      assertEquals(Optional.of(BatchSettings.defaults()),
          deliveryOf("{ ordering: %s, batch: {} }".formatted(ordering)).batch());
    }
    DeliverySettings exactlyOnce = deliveryOf("{ guarantee: exactly-once, batch: { maxEvents: 5 } }");
    assertEquals(Guarantee.EXACTLY_ONCE, exactlyOnce.guarantee());
    assertEquals(5, exactlyOnce.batch().orElseThrow().maxEvents());
  }

  @Test
  void shouldReportEveryBadBatchValueAtItsKey() {
    assertEquals(List.of(
            problem(8, 9, "triggers.t.delivery.batch.maxEvents", "must be an integer between 1 and 10000, got 0"),
            problem(9, 9, "triggers.t.delivery.batch.maxWait", DURATION_RULE + ", got \"PT0S\""),
            problem(10, 9, "triggers.t.delivery.batch.maxBytes",
                "must be an integer between 1 and 67108864, got 100000000"),
            problem(11, 9, "triggers.t.delivery.batch.size",
                "unknown key \"size\"; allowed keys are maxEvents, maxWait, maxBytes")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                kafka: { topic: t }
                function: f
                delivery:
                  batch:
                    maxEvents: 0
                    maxWait: PT0S
                    maxBytes: 100000000
                    size: 3
            """));
  }

  @Test
  void shouldDeliverAtLeastOnceUnlessExactlyOnceIsAsked() {
    assertEquals(Guarantee.AT_LEAST_ONCE, deliveryOf("{}").guarantee());
    assertEquals(Guarantee.EXACTLY_ONCE, deliveryOf("{ guarantee: exactly-once }").guarantee());
    assertEquals(Guarantee.AT_LEAST_ONCE, deliveryOf("{ guarantee: at-least-once, ordering: unordered }").guarantee());
  }

  @Test
  void shouldRefuseExactlyOnceWithUnorderedDeliveryNamingWhy() {
    assertEquals(problem(2, 85, "triggers.t.delivery.guarantee", DeliverySettings.EXACTLY_ONCE_UNORDERED),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t }, function: f, delivery: { ordering: unordered, guarantee: exactly-once } } }
            """));
  }

  @Test
  void shouldRefuseExactlyOnceWithDeliveryOrderedByKey() {
    assertEquals(problem(2, 79, "triggers.t.delivery.guarantee", DeliverySettings.EXACTLY_ONCE_UNORDERED),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t }, function: f, delivery: { ordering: key, guarantee: exactly-once } } }
            """));
  }

  @Test
  void shouldRefuseAGuaranteeItDoesNotKnow() {
    assertEquals(problem(2, 64, "triggers.t.delivery.guarantee",
            "must be at-least-once or exactly-once, got \"at-most-once\""),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t }, function: f, delivery: { guarantee: at-most-once } } }
            """));
  }

  @Test
  void shouldReportADeadLetterWithoutTopicAndARetryCountOutOfRange() {
    assertEquals(List.of(
            problem(2, 64, "triggers.t.delivery.retry", "must be an integer between 0 and 100, got -1"),
            problem(2, 75, "triggers.t.delivery.deadLetter", "missing required key \"topic\" (the dead-letter topic)")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers: { t: { kafka: { topic: t }, function: f, delivery: { retry: -1, deadLetter: {} } } }
            """));
  }
}
