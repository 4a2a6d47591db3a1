package dev.fnmesh.host.logs;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogFieldsTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void aDeliveryNamesTriggerFunctionEventAndTrace() {
    LogFields fields = LogFields.delivery("greet", "greeter", event("00-" + TRACE + "-00f067aa0ba902b7-01"));

    assertEquals(Map.of("trigger", "greet", "function", "greeter", "event_id", "e-1", "trace_id", TRACE),
        fields.values());
    assertEquals(List.of("trigger", "function", "event_id", "trace_id"), List.copyOf(fields.values().keySet()));
  }

  @Test
  void anEventWithoutTraceHasNoTraceIdField() {
    assertEquals(Map.of("function", "greeter", "event_id", "e-1"),
        LogFields.invocation("greeter", event(null)).values());
  }

  @Test
  void withinPutsTheFieldsInTheContextForTheCallOnlyAndRestoresWhatWasThere() {
    MDC.put("function", "outer");

    String seen = LogFields.delivery("greet", "greeter", event(null))
        .within(() -> MDC.get("trigger") + "/" + MDC.get("function"));

    assertEquals("greet/greeter", seen);
    assertEquals("outer", MDC.get("function"));
    assertNull(MDC.get("trigger"));
    assertNull(MDC.get("event_id"));
  }

  @Test
  void withinRestoresTheContextWhenTheCallThrows() {
    assertThrows(IllegalStateException.class, () -> LogFields.function("greeter").within(() -> {
      throw new IllegalStateException("boom");
    }));

    assertNull(MDC.get("function"));
  }

  @Test
  void currentCarriesTheContextToAnotherThread() throws Exception {
    LogFields carried = LogFields.invocation("greeter", event(null)).within(LogFields::current);
    String[] seen = new String[1];
    Thread worker = new Thread(() -> seen[0] = carried.within(() -> MDC.get("event_id")));
    worker.start();
    worker.join();

    assertEquals("e-1", seen[0]);
  }

  private static CloudEvent event(String traceparent) {
    CloudEventBuilder builder = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t");
    return traceparent == null ? builder.build() : builder.withExtension(TraceParent.EXTENSION, traceparent).build();
  }
}
