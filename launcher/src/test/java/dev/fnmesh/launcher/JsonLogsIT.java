package dev.fnmesh.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fnmesh up} with {@code FNMESH_LOG_FORMAT=json}, run as a user runs it: every line it writes is one
 * JSON object, and the lines of a delivery and of a function's output say which trigger, function, replica,
 * event and trace they are about.
 */
@ExtendWith(KafkaFixture.class)
class JsonLogsIT {

  private static final Path TALKER = Path.of("src/test/resources/logs/talker.py").toAbsolutePath();
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final Pattern RFC_3339_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

  @TempDir
  Path dir;

  @Test
  void everyLineIsAJsonObjectAndDeliveryAndOutputLinesCarryTheirFields() throws Exception {
    String talk = KafkaFixture.uniqueTopic("json-talk");
    String flaky = KafkaFixture.uniqueTopic("json-flaky");
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          talker: { command: [python3, %s] }
          fail: { java: fail }
        triggers:
          talk:
            kafka: { topic: %s, partitions: 1 }
            function: talker
            scale: { min: 1 }
          flaky:
            kafka: { topic: %s, partitions: 1 }
            function: fail
            delivery: { retry: 1, backoffDelay: PT0.1S }
            scale: { min: 1 }
        """.formatted(TALKER, talk, flaky));
    int port = FnmeshProcess.freePort();
    try (FnmeshProcess fnmesh = FnmeshProcess.start(dir, "fnmesh", port, Map.of("FNMESH_LOG_FORMAT", "json"), "up",
        "--config", meshFile.toString(), "--kafka", KafkaFixture.bootstrapServers(),
        "--data-dir", dir.resolve("data").toString(), "--schemas-dir", dir.toString(),
        "--functions-dir", dir.toString())) {
      publish(port, flaky, "traced-1", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
      publish(port, talk, "said-1", null);
      await().atMost(Duration.ofSeconds(60)).until(() -> fnmesh.stderr().contains("dead letter")
          && fnmesh.stderr().contains("line=heard said-1"));
      fnmesh.terminate();
      await().atMost(Duration.ofSeconds(60)).until(() -> !fnmesh.isAlive());

      List<JsonNode> lines = parseEveryLine(fnmesh.stderr());
      JsonNode deadLetter = only(lines, line -> line.get("message").asText().startsWith("dead letter"));
      assertEquals("WARN", deadLetter.get("level").asText());
      assertEquals("dev.fnmesh.host.impl.consumer.EventDelivery", deadLetter.get("logger").asText());
      assertEquals("flaky", deadLetter.path("trigger").asText(), deadLetter.toString());
      assertEquals("fail", deadLetter.path("function").asText(), deadLetter.toString());
      assertEquals("traced-1", deadLetter.path("event_id").asText(), deadLetter.toString());
      assertEquals(TRACE_ID, deadLetter.path("trace_id").asText(), deadLetter.toString());
      JsonNode heard = only(lines, line -> line.get("message").asText().endsWith("line=heard said-1"));
      assertEquals("talker", heard.path("function").asText(), heard.toString());
      assertEquals("0", heard.path("replica").asText(), heard.toString());
      assertFalse(heard.has("trace_id"), heard.toString());
    }
  }

  /** Every line of {@code stderr} parsed; fails naming the first one that is no JSON object of the format. */
  private static List<JsonNode> parseEveryLine(String stderr) {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> parsed = new ArrayList<>();
    stderr.lines().forEach(line -> {
      JsonNode node;
      try {
        node = json.readTree(line);
      } catch (IOException e) {
        throw new AssertionError("a line that is no JSON: " + line, e);
      }
      assertTrue(node != null && node.isObject(), () -> "a line that is no JSON object: " + line);
      assertTrue(RFC_3339_MILLIS.matcher(node.path("time").asText()).matches(), () -> "time of " + line);
      for (String field : List.of("level", "logger", "message")) {
        assertTrue(node.path(field).isTextual(), () -> field + " of " + line);
      }
      parsed.add(node);
    });
    assertFalse(parsed.isEmpty(), "fnmesh logged nothing");
    return parsed;
  }

  private static JsonNode only(List<JsonNode> lines, java.util.function.Predicate<JsonNode> which) {
    List<JsonNode> found = lines.stream().filter(which).toList();
    assertEquals(1, found.size(), () -> "lines found: " + found);
    return found.get(0);
  }

  /** POST of a binary-mode CloudEvent to the ingress, with a {@code traceparent} when one is given. */
  private static void publish(int port, String topic, String id, String traceparent) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/topics/" + topic))
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-type", "test.said")
        .header("ce-source", "/json-logs-it").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (traceparent != null) {
      request.header("ce-traceparent", traceparent);
    }
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
