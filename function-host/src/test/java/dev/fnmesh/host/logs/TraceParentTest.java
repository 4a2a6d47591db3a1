package dev.fnmesh.host.logs;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TraceParentTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void theTraceIdIsTheSecondFieldOfAW3cTraceparent() {
    assertEquals(Optional.of(TRACE), TraceParent.traceId(event("00-" + TRACE + "-00f067aa0ba902b7-01")));
  }

  @Test
  void aLaterVersionMayAddFieldsAfterTheFlags() {
    assertEquals(Optional.of(TRACE), TraceParent.traceId(event("01-" + TRACE + "-00f067aa0ba902b7-01-later")));
  }

  @Test
  void anEventWithoutTraceparentHasNoTraceId() {
    assertEquals(Optional.empty(), TraceParent.traceId(event(null)));
  }

  @Test
  void aTraceparentNotInTheW3cFormatGivesNoTraceId() {
    assertEquals(Optional.empty(), TraceParent.traceId(event("not a traceparent")));
    assertEquals(Optional.empty(), TraceParent.traceId(event("00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01")));
    assertEquals(Optional.empty(), TraceParent.traceId(event("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")));
    assertEquals(Optional.empty(), TraceParent.traceId(event("00-" + TRACE + "-" + "0".repeat(16) + "-01")));
    assertEquals(Optional.empty(), TraceParent.traceId(event("ff-" + TRACE + "-00f067aa0ba902b7-01")));
    assertEquals(Optional.empty(), TraceParent.traceId(event("00-" + TRACE + "-00f067aa0ba902b7")));
  }

  private static CloudEvent event(String traceparent) {
    CloudEventBuilder builder = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t");
    return traceparent == null ? builder.build() : builder.withExtension(TraceParent.EXTENSION, traceparent).build();
  }
}
