package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings of a process function are checked where they enter, with messages naming field and value. */
class ProcessFunctionSettingsTest {

  @Test
  void defaultsToAnAutomaticPortAndThirtySecondsToListen() {
    ProcessFunctionSettings settings = ProcessFunctionSettings.of(List.of("python3", "fn.py"));

    assertTrue(settings.port().isEmpty());
    assertEquals(Duration.ofSeconds(30), settings.readiness());
    assertEquals(100, settings.concurrency());
  }

  @Test
  void refusesAnEmptyCommand() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ProcessFunctionSettings.of(List.of()));

    assertEquals("command: must be a program followed by its arguments, none null, got []", refused.getMessage());
  }

  @Test
  void refusesAPortOutsideTheTcpRange() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ProcessFunctionSettings.of(List.of("fn")).withPort(70000));

    assertEquals("port: must be 'auto' or an integer between 1 and 65535, got 70000", refused.getMessage());
  }

  @Test
  void refusesToLetTheEnvironmentOverrideThePort() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ProcessFunctionSettings.of(List.of("fn")).withEnv(Map.of("PORT", "80")));

    assertEquals("env.PORT: is set by the host for every replica and cannot be configured", refused.getMessage());
  }
}
