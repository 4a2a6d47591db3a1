package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.ScaleSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingRuleTest {

  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final ScaleSpec UP_TO_8 = ScaleSpec.defaults(8);

  @ParameterizedTest(name = "lag {0} at threshold {1} asks for {2}")
  @CsvSource({"0, 100, 0", "1, 100, 1", "100, 100, 1", "101, 100, 2", "1234, 100, 13", "7, 1, 7",
      "9223372036854775807, 1, 100"})
  void theRecommendationIsTheLagDividedByTheThresholdRoundedUp(long lag, long threshold, int expected) {
    ScaleSpec settings = ScaleSpec.defaults(100).withThresholds(threshold, 0);

    assertEquals(expected, ScalingRule.recommend(settings, false, report(lag, 8, 8)));
  }

  @ParameterizedTest(name = "min {0} max {1} lag {2} → {3}")
  @CsvSource({"0, 8, 5000, 8", "2, 8, 0, 2", "3, 8, 150, 3", "3, 8, 450, 5", "8, 8, 0, 8", "0, 1, 5000, 1"})
  void theRecommendationIsClampedToMinAndMax(int min, int max, long lag, int expected) {
    ScaleSpec settings = ScaleSpec.defaults(max).withMin(min);

    assertEquals(expected, ScalingRule.recommend(settings, false, report(lag, 8, 8)));
  }

  @ParameterizedTest(name = "ordered, min {0}, lag 1000 on {1} of 8 partitions → {2}")
  @CsvSource({"0, 3, 3", "0, 1, 1", "0, 8, 8", "4, 3, 4", "0, 0, 0", "2, 0, 2"})
  void orderedDeliveryAsksForAtMostOneReplicaPerPartitionWithLagButNeverFewerThanMin(int min, int withLag,
      int expected) {
    ScaleSpec settings = ScaleSpec.defaults(8).withMin(min);

    assertEquals(expected, ScalingRule.recommend(settings, true, report(withLag == 0 ? 0 : 1000, 8, withLag)));
    assertEquals(Math.max(min, 8), ScalingRule.recommend(settings, false, report(1000, 8, 3)));
  }

  @ParameterizedTest(name = "activation 50, lag {0} at zero → {1}")
  @CsvSource({"0, 0", "50, 0", "51, 1", "1234, 8"})
  void aTriggerAtZeroWakesOnlyWhenTheLagIsAboveTheActivationThreshold(long lag, int expected) {
    Scaler scaler = new Scaler(UP_TO_8.withThresholds(100, 50), false);

    assertEquals(expected, scaler.decide(0, report(lag, 8, lag == 0 ? 0 : 4), T0).desired());
  }

  @Test
  void aTriggerAtZeroWakesWithAtLeastTheRecommendationAndAtLeastMin() {
    assertEquals(5, new Scaler(UP_TO_8, false).decide(0, report(450, 8, 8), T0).desired());
    assertEquals(1, new Scaler(UP_TO_8, false).decide(0, report(1, 8, 1), T0).desired());
    assertEquals(3, new Scaler(UP_TO_8.withMin(3), false).decide(0, report(1, 8, 1), T0).desired());
    assertEquals(3, new Scaler(UP_TO_8.withMin(3), false).decide(0, report(0, 8, 0), T0).desired());
  }

  @Test
  void scalingUpIsImmediateAndSaysWhy() {
    Decision decision = new Scaler(UP_TO_8, false).decide(2, report(1234, 8, 6), T0);

    assertEquals(8, decision.desired());
    assertEquals("lag 1234 over 8 partitions (6 with lag), threshold 100 → 13 capped to max 8; scaling up from 2",
        decision.reason());
    assertEquals(new Decision(8, decision.reason(), 2, 8, 1234, 8, 6, T0), decision);
    assertTrue(decision.changes());
  }

  @Test
  void scalingDownFollowsTheHighestRecommendationOfTheLastCooldown() {
    Scaler scaler = new Scaler(UP_TO_8, false);
    assertEquals(6, scaler.decide(6, report(600, 8, 8), T0).desired());
    assertEquals(6, scaler.decide(6, report(400, 8, 8), T0.plusSeconds(10)).desired());
    assertEquals(6, scaler.decide(6, report(100, 8, 8), T0.plusSeconds(20)).desired());

    // The 600 of T0 leaves the window at T0 + 30 s; the highest left is the 400 of T0 + 10 s.
    Decision down = scaler.decide(6, report(100, 8, 8), T0.plusSeconds(30));
    assertEquals(4, down.desired());
    assertEquals("lag 100 over 8 partitions (8 with lag), threshold 100 → 1; scaling down from 6 "
        + "(highest in the last 30s: 4)", down.reason());
    assertEquals(1, scaler.decide(4, report(100, 8, 8), T0.plusSeconds(50)).desired());
  }

  @Test
  void aLagThatSwingsEverySecondDoesNotMakeTheReplicasFlap() {
    Scaler scaler = new Scaler(UP_TO_8, false);
    List<Integer> replicas = new ArrayList<>();
    int current = 1;
    for (int second = 0; second < 120; second++) {
      long lag = second % 2 == 0 ? 800 : 50;
      current = scaler.decide(current, report(lag, 8, 8), T0.plusSeconds(second)).desired();
      replicas.add(current);
    }

    assertEquals(List.of(8), replicas.stream().distinct().toList());
  }

  @Test
  void aTriggerScalesToZeroExactlyOneCooldownAfterItsLagBecameIdle() {
    Scaler scaler = new Scaler(UP_TO_8, false);
    scaler.decide(3, report(250, 8, 3), T0.minusSeconds(1));
    assertEquals(3, scaler.decide(3, report(0, 8, 0), T0).desired());
    Instant justBefore = T0.plus(Duration.ofSeconds(30)).minusMillis(1);
    Decision waiting = scaler.decide(1, report(0, 8, 0), justBefore);
    assertEquals(1, waiting.desired());
    assertEquals("lag 0 over 8 partitions (0 with lag), threshold 100 → 0; holding 1; idle for 29999ms of 30s "
        + "before zero", waiting.reason());

    Decision zero = scaler.decide(1, report(0, 8, 0), T0.plusSeconds(30));

    assertEquals(0, zero.desired());
    assertEquals("lag 0 over 8 partitions (0 with lag), threshold 100 → 0; scaling to zero from 1: lag not above 0 "
        + "for 30s", zero.reason());
  }

  @Test
  void oneBusyReportRestartsTheIdleCooldown() {
    Scaler scaler = new Scaler(UP_TO_8, false);
    scaler.decide(1, report(0, 8, 0), T0);
    scaler.decide(1, report(5, 8, 1), T0.plusSeconds(20));
    scaler.decide(1, report(0, 8, 0), T0.plusSeconds(21));

    assertEquals(1, scaler.decide(1, report(0, 8, 0), T0.plusSeconds(50)).desired());
    assertEquals(0, scaler.decide(1, report(0, 8, 0), T0.plusSeconds(51)).desired());
  }

  @Test
  void lagAtOrBelowTheActivationThresholdCountsAsIdleForScalingToZero() {
    Scaler scaler = new Scaler(UP_TO_8.withThresholds(10, 50), false);
    assertEquals(5, scaler.decide(5, report(40, 8, 4), T0).desired());

    assertEquals(0, scaler.decide(5, report(40, 8, 4), T0.plusSeconds(30)).desired());
  }

  @Test
  void aTriggerNeverScalesBelowMinAndNeverToZeroWhenMinIsAtLeastOne() {
    for (int min : new int[] {1, 2}) {
      Scaler scaler = new Scaler(UP_TO_8.withMin(min).withCooldown(Duration.ofSeconds(5)), false);
      List<Integer> replicas = new ArrayList<>();
      int current = 6;
      for (int second = 0; second <= 60; second++) {
        current = scaler.decide(current, report(0, 8, 0), T0.plusSeconds(second)).desired();
        replicas.add(current);
      }

      assertEquals(min, replicas.get(replicas.size() - 1), "min " + min);
      assertEquals(min, replicas.stream().mapToInt(Integer::intValue).min().orElseThrow(), "min " + min);
    }
  }

  @Test
  void moreReplicasThanMaxScaleDownToMaxAtOnce() {
    Scaler scaler = new Scaler(ScaleSpec.defaults(4), false);

    assertEquals(4, scaler.decide(10, report(5000, 8, 8), T0).desired());
  }

  @Test
  void aNewScalerCountsTheRunningReplicasAsARecommendationOfTheWindow() {
    Scaler scaler = new Scaler(UP_TO_8, false);

    assertEquals(6, scaler.decide(6, report(100, 8, 8), T0).desired());
    assertEquals(6, scaler.decide(6, report(100, 8, 8), T0.plusSeconds(29)).desired());
    assertEquals(1, scaler.decide(6, report(100, 8, 8), T0.plusSeconds(30)).desired());
  }

  @Test
  void orderedDeliveryCapsScalingUpAtThePartitionsWithLag() {
    Decision decision = new Scaler(UP_TO_8, true).decide(1, report(5000, 8, 3), T0);

    assertEquals(3, decision.desired());
    assertEquals("lag 5000 over 8 partitions (3 with lag), threshold 100 → 50 capped to 3 by the partitions with "
        + "lag (ordered delivery); scaling up from 1", decision.reason());
  }

  @Test
  void aTriggerAtZeroWithLittleLagStaysAsleepAndSaysWhy() {
    Decision decision = new Scaler(UP_TO_8.withThresholds(100, 10), false).decide(0, report(10, 8, 1), T0);

    assertFalse(decision.changes());
    assertEquals("lag 10 over 8 partitions (1 with lag), threshold 100 → 1; staying at 0: lag not above activation "
        + "threshold 10", decision.reason());
  }

  /** A report of {@code lag} spread over the first {@code withLag} of {@code partitions} partitions. */
  static LagReport report(long lag, int partitions, int withLag) {
    List<PartitionLag> lags = new ArrayList<>();
    for (int partition = 0; partition < partitions; partition++) {
      long share = partition >= withLag ? 0 : lag / withLag + (partition < lag % withLag ? 1 : 0);
      lags.add(new PartitionLag(partition, share, OptionalLong.of(0), 0, share));
    }
    return new LagReport("orders", "fnmesh.orders", lags, T0);
  }
}
