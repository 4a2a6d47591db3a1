package dev.fnmesh.broker.tracing;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tracing is on exactly when the OpenTelemetry settings name a trace exporter, and off is the no-op. */
class TracingTest {

  private static final Properties NONE = new Properties();

  @Test
  void withoutOtelSettingsTracingIsOffAndIsTheNoOp() {
    assertFalse(Tracing.wanted(Map.of(), NONE));
    Tracing off = Tracing.configure("fnmesh-host", Map.of("PATH", "/bin"), NONE);
    assertSame(Tracing.OFF, off);
    assertFalse(off.on());
    assertFalse(off.tracer().spanBuilder("x").startSpan().getSpanContext().isValid(), "no-op spans have no ids");
  }

  @Test
  void anOtlpEndpointOrATracesEndpointTurnsTracingOn() {
    assertTrue(Tracing.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), NONE));
    assertTrue(Tracing.wanted(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"), NONE));
  }

  @Test
  void aTracesExporterOtherThanNoneTurnsTracingOnAndNoneTurnsItOffWhateverTheEndpoint() {
    assertTrue(Tracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "console"), NONE));
    assertFalse(Tracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "none",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), NONE));
  }

  @Test
  void otelSdkDisabledTurnsTracingOff() {
    assertFalse(Tracing.wanted(Map.of("OTEL_SDK_DISABLED", "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), NONE));
  }

  @Test
  void aSystemPropertyWinsOverItsEnvironmentVariable() {
    Properties none = new Properties();
    none.setProperty("otel.traces.exporter", "none");
    assertFalse(Tracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp"), none));
    Properties endpoint = new Properties();
    endpoint.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318");
    assertTrue(Tracing.wanted(Map.of(), endpoint));
  }

  @Test
  void otlpOverGrpcIsRefusedNamingTheSetting() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Tracing.configure("fnmesh-up",
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), NONE));
    assertTrue(refused.getMessage().contains("OTEL_EXPORTER_OTLP_PROTOCOL"), refused.getMessage());
  }

  @Test
  void aNamedExporterGivesAnSdkThatRecordsSpans() {
    try (Tracing on = Tracing.configure("fnmesh-host", Map.of("OTEL_TRACES_EXPORTER", "console"), NONE)) {
      assertTrue(on.on());
      assertTrue(on.tracer().spanBuilder("x").startSpan().isRecording());
    }
  }
}
