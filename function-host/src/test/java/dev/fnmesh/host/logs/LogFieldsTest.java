package dev.fnmesh.host.logs;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFieldsTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

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
  void withinMakesTheFieldsTheThreadsForTheCallOnlyOverThoseOfAnOuterCall() {
    String seen = LogFields.function("outer").with(LogFields.REPLICA, 2).within(() ->
        LogFields.delivery("greet", "greeter", event(null)).within(() -> LogFields.current().values().toString()));

    assertEquals("{replica=2, trigger=greet, function=greeter, event_id=e-1}", seen);
    assertTrue(LogFields.current().isEmpty());
  }

  @Test
  void withinRestoresTheFieldsWhenTheCallThrows() {
    assertThrows(IllegalStateException.class, () -> LogFields.function("greeter").within(() -> {
      throw new IllegalStateException("boom");
    }));

    assertTrue(LogFields.current().isEmpty());
  }

  @Test
  void currentCarriesTheFieldsToAnotherThread() throws Exception {
    LogFields carried = LogFields.invocation("greeter", event(null)).within(LogFields::current);
    String[] seen = new String[1];
    Thread worker = new Thread(() -> seen[0] = carried.within(() -> LogFields.current().values().get("event_id")));
    worker.start();
    worker.join();

    assertEquals("e-1", seen[0]);
  }

  @Test
  void aLineLoggedInsideTheCallCarriesItsFieldsAndOneAfterItDoesNot() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Logger functionLog = LoggerFactory.getLogger("dev.fnmesh.test.SomeFunction");
      LogFields.delivery("greet", "greeter", event("00-" + TRACE + "-00f067aa0ba902b7-01")).within(() -> {
        functionLog.info("inside");
        return null;
      });
      functionLog.info("after");
    } finally {
      System.setErr(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();

    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith("inside trigger=greet function=greeter event_id=e-1 trace_id=" + TRACE), lines.get(0));
    assertTrue(lines.get(1).endsWith("after"), lines.get(1));
  }

  private static CloudEvent event(String traceparent) {
    CloudEventBuilder builder = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType("t");
    return traceparent == null ? builder.build() : builder.withExtension(TraceParent.EXTENSION, traceparent).build();
  }
}
