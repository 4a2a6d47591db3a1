package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.ScaleSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class AutoscalerFittedTest {

  @Test
  void theDefaultScalingInOneProcessTakesAtMostOneReplicaPerCore() {
    ScaleSpec fitted = Autoscaler.fitted(ScaleSpec.defaults(8), 8, 2);

    assertEquals(2, fitted.max());
    assertEquals(ScaleSpec.defaults(8).min(), fitted.min());
    assertEquals(ScaleSpec.defaults(8).lagThreshold(), fitted.lagThreshold());
    assertEquals(ScaleSpec.defaults(8).cooldown(), fitted.cooldown());
  }

  @Test
  void aScaleTheMeshFileGivesIsKeptAsItIs() {
    ScaleSpec given = new ScaleSpec(0, 8, 50, 0, Duration.ofSeconds(30), Duration.ofSeconds(1));

    assertSame(given, Autoscaler.fitted(given, 8, 2));
  }

  @Test
  void fewerPartitionsThanCoresOrNoLimitChangeNothing() {
    assertEquals(2, Autoscaler.fitted(ScaleSpec.defaults(2), 2, 4).max());
    assertEquals(8, Autoscaler.fitted(ScaleSpec.defaults(8), 8, 0).max());
  }
}
