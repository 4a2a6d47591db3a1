package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.MeshProblem;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.TriggerSpec;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A trigger's scaling: each key read, each left-out key at its default, each bad value located. */
class MeshLoaderScaleTest {

  private static final String DURATION_RULE = PositiveDuration.RULE;
  private static final String POLL_INTERVAL_RULE = ScaleChecks.POLL_INTERVAL_RULE;

  /** A kafka trigger on a topic of 8 partitions with this scale, given as a one-line flow mapping on line 6. */
  private static String meshWithScale(String scale) {
    return """
        functions: { f: { java: f } }
        triggers:
          orders:
            kafka: { topic: orders, partitions: 8 }
            function: f
            scale: %s
        """.formatted(scale);
  }

  private static ScaleSpec scaleOf(String scale) {
    return parse(meshWithScale(scale)).triggers().get("orders").scale();
  }

  private static MeshProblem onlyScaleProblemOf(String scale) {
    return onlyProblemOf(meshWithScale(scale));
  }

  @Test
  void shouldReadEveryScaleKey() {
    assertEquals(new ScaleSpec(1, 4, 50, 10, Duration.ofMinutes(2), Duration.ofMillis(500)), parse("""
        functions: { f: { java: f } }
        triggers:
          orders:
            kafka: { topic: orders, partitions: 8 }
            function: f
            scale:
              min: 1
              max: 4
              lagThreshold: 50
              activationLagThreshold: 10
              cooldown: PT2M
              pollInterval: PT0.5S
        """).triggers().get("orders").scale());
  }

  @Test
  void shouldApplyTheDefaultsOfEveryLeftOutKeyWithMaxThePartitionCountOfTheKafkaTopic() {
    assertEquals(new ScaleSpec(0, 8, 100, 0, Duration.ofSeconds(30), Duration.ofSeconds(1)), scaleOf("{}"));
    assertEquals(new ScaleSpec(2, 8, 100, 0, Duration.ofSeconds(30), Duration.ofSeconds(1)), scaleOf("{ min: 2 }"));
  }

  @Test
  void shouldGiveATriggerWithoutScaleTheDefaultsWithMaxThePartitionCountOfItsTopic() {
    Map<String, TriggerSpec> triggers = parse("""
        functions: { f: { java: f } }
        triggers:
          orders: { kafka: { topic: orders, partitions: 3 }, function: f }
          plain: { kafka: { topic: plain }, function: f }
          push: { webhook: { path: push }, partitions: 5, function: f }
          tick: { cron: { schedule: '@hourly' }, function: f }
          wide: { kafka: { topic: wide, partitions: 10000 }, function: f }
        """).triggers();

    assertEquals(ScaleSpec.defaults(3), triggers.get("orders").scale());
    assertEquals(List.of(3, 8, 5, 8, ScaleSpec.MAX_REPLICAS),
        triggers.values().stream().map(trigger -> trigger.scale().max()).toList());
  }

  @Test
  void shouldAcceptMoreReplicasThanPartitionsAndMinEqualToMax() {
    assertEquals(20, scaleOf("{ max: 20 }").max());
    assertEquals(new ScaleSpec(8, 8, 100, 0, Duration.ofSeconds(30), Duration.ofSeconds(1)), scaleOf("{ min: 8 }"));
    assertEquals(3, scaleOf("{ min: 3, max: 3 }").max());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "P0D", "PT0.5S", "PT5M"})
  void shouldAcceptACooldownOfZeroOrMore(String cooldown) {
    assertEquals(Duration.parse(cooldown), scaleOf("{ cooldown: %s }".formatted(cooldown)).cooldown());
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.1S", "PT1S", "PT1M"})
  void shouldAcceptAPollIntervalOfAtLeastATenthOfASecond(String interval) {
    assertEquals(Duration.parse(interval), scaleOf("{ pollInterval: %s }".formatted(interval)).pollInterval());
  }

  @Test
  void shouldReportAMaxBelowMinAtMax() {
    assertEquals(problem(8, 7, "triggers.orders.scale.max", "must be at least scale.min (4), got 2"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              orders:
                kafka: { topic: orders, partitions: 8 }
                function: f
                scale:
                  min: 4
                  max: 2
            """));
  }

  @Test
  void shouldReportAMinAboveTheDefaultMaxAtMinNamingThePartitionCount() {
    assertEquals(problem(2, 77, "triggers.t.scale.min", "must be at most scale.max, which defaults to the "
            + "partition count of the trigger's topic (4): set scale.max to allow more replicas, got 5"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { webhook: { path: p }, partitions: 4, function: f, scale: { min: 5 } } }
            """));
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "PT0.09S", "PT0.099999999S"})
  void shouldReportAPollIntervalBelowATenthOfASecond(String interval) {
    assertEquals(problem(6, 14, "triggers.orders.scale.pollInterval",
            POLL_INTERVAL_RULE + ", got \"" + interval + "\""),
        onlyScaleProblemOf("{ pollInterval: %s }".formatted(interval)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1s", "pt0.05s", "-PT1S", "PT-0.5S", "P1W"})
  void shouldReportAPollIntervalThatIsNoIsoDurationOnce(String interval) {
    assertEquals(problem(6, 14, "triggers.orders.scale.pollInterval", DURATION_RULE + ", got \"" + interval + "\""),
        onlyScaleProblemOf("{ pollInterval: %s }".formatted(interval)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30s", "-PT1S", "PT", "''"})
  void shouldReportACooldownThatIsNoIsoDuration(String cooldown) {
    assertEquals(problem(6, 14, "triggers.orders.scale.cooldown", "must be an ISO-8601 duration such as PT0S, "
            + "PT30S, PT5M or P1D, got \"" + cooldown.replace("'", "") + "\""),
        onlyScaleProblemOf("{ cooldown: %s }".formatted(cooldown)));
  }

  @Test
  void shouldReportEveryOtherBadScaleValue() {
    assertEquals(List.of(
            problem(7, 7, "triggers.t.scale.min", "must be an integer between 0 and 1000, got 1001"),
            problem(8, 7, "triggers.t.scale.max", "must be an integer between 1 and 1000, got 0"),
            problem(9, 7, "triggers.t.scale.lagThreshold",
                "must be an integer between 1 and 9223372036854775807, got 0"),
            problem(10, 7, "triggers.t.scale.activationLagThreshold",
                "must be an integer between 0 and 9223372036854775807, got -1"),
            problem(11, 7, "triggers.t.scale.replicas", "unknown key \"replicas\"; allowed keys are min, max, "
                + "lagThreshold, activationLagThreshold, cooldown, pollInterval"),
            problem(12, 7, "triggers.t.scale.coolDown", "unknown key \"coolDown\" (did you mean \"cooldown\"?); "
                + "allowed keys are min, max, lagThreshold, activationLagThreshold, cooldown, pollInterval")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              t:
                kafka: { topic: t }
                function: f
                scale:
                  min: 1001
                  max: 0
                  lagThreshold: 0
                  activationLagThreshold: -1
                  replicas: 5
                  coolDown: PT1M
            """));
  }

  @Test
  void shouldReportALagThresholdBeyondALongAndAScaleThatIsNoMapping() {
    assertEquals(List.of(
            problem(2, 61, "triggers.a.scale.lagThreshold",
                "must be an integer between 1 and 9223372036854775807, got 9223372036854775808"),
            problem(3, 52, "triggers.b.scale", "must be a mapping, got 3")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers: { a: { kafka: { topic: a }, function: f, scale: { lagThreshold: 9223372036854775808 } },
                        b: { kafka: { topic: b }, function: f, scale: 3 } }
            """));
  }
}
