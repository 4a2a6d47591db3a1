package dev.fnmesh.controller.scale;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScaleSettingsTest {

  @Test
  void settingsUpToAMaxTakeKedasDefaults() {
    assertEquals(new ScaleSettings(0, 8, 100, 0, Duration.ofSeconds(30), Duration.ofSeconds(1), false),
        ScaleSettings.upTo(8));
  }

  @Test
  void aMaxBelowMinOrBelowOneIsRefused() {
    assertEquals("max must be at least 1 and at least min (3), got 2", message(() -> ScaleSettings.upTo(2).withMin(3)));
    assertEquals("max must be at least 1 and at least min (0), got 0", message(() -> ScaleSettings.upTo(0)));
  }

  @Test
  void eachOutOfRangeValueIsRefusedByName() {
    ScaleSettings settings = ScaleSettings.upTo(4);
    assertEquals("min must be 0 or more, got -1", message(() -> settings.withMin(-1)));
    assertEquals("lagThreshold must be 1 or more, got 0", message(() -> settings.withThresholds(0, 0)));
    assertEquals("activationLagThreshold must be 0 or more, got -5", message(() -> settings.withThresholds(10, -5)));
    assertEquals("cooldown must not be negative, got PT-1S", message(() -> settings.withCooldown(Duration.ofSeconds(-1))));
    assertEquals("pollInterval must be positive, got PT0S", message(() -> settings.withPollInterval(Duration.ZERO)));
  }

  @Test
  void orderedDeliveryIsOffUnlessAsked() {
    assertFalse(ScaleSettings.upTo(4).ordered());
    assertEquals(true, ScaleSettings.upTo(4).withOrdered(true).ordered());
  }

  private static String message(Runnable construction) {
    return assertThrows(IllegalArgumentException.class, construction::run).getMessage();
  }
}
