package dev.fnmesh.launcher.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two formats of {@code log4j2.xml}, read as fnmesh reads it, applied to one log event each. */
class LogFormatTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  // 2026-12-07T18:03:01.123Z
  private static final long TIME = 1796666581123L;

  @Test
  void textShowsTheFieldsPresentAsKeyValueAfterTheMessage() throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("event_id", "order-1");
    fields.put("function", "greeter");
    fields.put("trace_id", TRACE);
    fields.put("trigger", "greet");

    String line = format(LogFormat.text, fields, null);

    assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.123 \\[vert\\.x-eventloop-thread-0] WARN EventDelivery - dead letter"
        + " reason=function-failed trigger=greet function=greeter event_id=order-1 trace_id=" + TRACE + "\\R"), line);
  }

  @Test
  void textLeavesOutTheFieldsAnEventDoesNotHave() throws IOException {
    String line = format(LogFormat.text, Map.of("function", "hello", "replica", "0"), null);

    assertTrue(line.endsWith("reason=function-failed function=hello replica=0" + System.lineSeparator()), line);
    assertFalse(line.contains("trigger=") || line.contains("event_id=") || line.contains("trace_id="), line);
  }

  @Test
  void jsonIsOneObjectPerLineWithTheTimeInRfc3339AndTheFieldsPresent() throws IOException {
    String line = format(LogFormat.json, Map.of("trigger", "greet", "function", "greeter", "event_id", "order-1",
        "trace_id", TRACE), new IllegalStateException("boom"));

    assertEquals(1, line.strip().lines().count(), line);
    JsonNode json = new ObjectMapper().readTree(line);
    assertEquals("2026-12-07T18:03:01.123Z", json.get("time").asText());
    assertEquals("WARN", json.get("level").asText());
    assertEquals("dev.fnmesh.host.impl.consumer.EventDelivery", json.get("logger").asText());
    assertEquals("dead letter reason=function-failed", json.get("message").asText());
    assertEquals("greet", json.get("trigger").asText());
    assertEquals("greeter", json.get("function").asText());
    assertEquals("order-1", json.get("event_id").asText());
    assertEquals(TRACE, json.get("trace_id").asText());
    assertTrue(json.get("exception").asText().startsWith("java.lang.IllegalStateException: boom"), line);
    assertFalse(json.has("replica"), line);
  }

  @Test
  void jsonLeavesOutTheExceptionAndTheFieldsAnEventDoesNotHave() throws IOException {
    JsonNode json = new ObjectMapper().readTree(format(LogFormat.json, Map.of(), null));

    assertEquals("dead letter reason=function-failed", json.get("message").asText());
    for (String absent : new String[] {"exception", "trigger", "function", "replica", "event_id", "trace_id"}) {
      assertFalse(json.has(absent), absent + " in " + json);
    }
  }

  /** A line of EventDelivery with these context fields, in a logger context of its own that reads log4j2.xml. */
  private static String format(LogFormat format, Map<String, String> fields, Throwable thrown) throws IOException {
    String before = System.getProperty(LogFormat.PROPERTY);
    System.setProperty(LogFormat.PROPERTY, format.name());
    LoggerContext context = new LoggerContext("log-format-test");
    try {
      ConfigurationSource source = ConfigurationSource.fromResource("log4j2.xml", LogFormatTest.class.getClassLoader());
      context.start(ConfigurationFactory.getInstance().getConfiguration(context, source));
      LogEvent event = Log4jLogEvent.newBuilder()
          .setLoggerName("dev.fnmesh.host.impl.consumer.EventDelivery")
          .setLevel(Level.WARN)
          .setMessage(new SimpleMessage("dead letter reason=function-failed"))
          .setContextData(new SortedArrayStringMap(fields))
          .setThreadName("vert.x-eventloop-thread-0")
          .setThrown(thrown)
          .setTimeMillis(TIME)
          .build();
      return new String(context.getConfiguration().getAppender("stderr").getLayout().toByteArray(event),
          StandardCharsets.UTF_8);
    } finally {
      context.stop();
      if (before == null) {
        System.clearProperty(LogFormat.PROPERTY);
      } else {
        System.setProperty(LogFormat.PROPERTY, before);
      }
    }
  }
}
