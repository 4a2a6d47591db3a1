package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a clear JSON error naming the field, nothing reaches Kafka, and the mesh keeps serving.
 */
class IngressErrorsIT {

  private static final int MAX_BODY = 2048;
  private static final String MESH = """
      functions:
        echo: { java: echo }
      triggers:
        echo:
          kafka: { topic: %s, partitions: 1 }
          function: echo
      """;
  private static String topic;
  private static TestMesh mesh;
  private long recordsBefore;

  @BeforeAll
  static void startMesh() {
    topic = KafkaFixture.uniqueTopic("errors");
    mesh = TestMesh.start(MESH.formatted(topic), MAX_BODY);
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @BeforeEach
  void countRecords() {
    recordsBefore = TestMesh.recordCount(topic);
  }

  @AfterEach
  void nothingWasWrittenAndTheMeshStillServes() {
    assertEquals(recordsBefore, TestMesh.recordCount(topic), "a refused request must write nothing");
    assertEquals(200, mesh.send(mesh.request("/healthz").GET()).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"specversion", "id", "source", "type"})
  void aBinaryEventWithoutARequiredAttributeIsRefusedNamingIt(String missing) {
    HttpRequest.Builder request = mesh.request("/topics/" + topic).header("content-type", "text/plain");
    for (String attribute : Arrays.asList("specversion", "id", "source", "type")) {
      if (!attribute.equals(missing)) {
        request.header("ce-" + attribute, attribute.equals("specversion") ? "1.0" : "x");
      }
    }
    assertProblem(mesh.send(request.POST(HttpRequest.BodyPublishers.ofString("data"))), 400, missing);
  }

  @ParameterizedTest
  @ValueSource(strings = {"specversion", "id", "source", "type"})
  void aStructuredEventWithoutARequiredAttributeIsRefusedNamingIt(String missing) {
    JsonObject event = new JsonObject().put("specversion", "1.0").put("id", "1").put("source", "/s").put("type", "t");
    event.remove(missing);
    assertProblem(structured(event.encode()), 400, missing);
  }

  @Test
  void anUnsupportedSpecVersionIsRefused() {
    HttpResponse<String> response = structured("{\"specversion\":\"2.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}");
    assertProblem(response, 400, "specversion");
    assertTrue(response.body().contains("2.0"), response.body());
  }

  @Test
  void anEmptyIdIsRefused() {
    assertProblem(structured("{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}"), 400, "id");
  }

  @Test
  void aTimeThatIsNoTimestampIsRefused() {
    assertProblem(structured("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"yesterday\"}"),
        400, "time");
  }

  @Test
  void malformedJsonIsRefused() {
    HttpResponse<String> response = structured("{\"specversion\":\"1.0\",");
    assertProblem(response, 400, "body");
    assertTrue(response.body().contains("malformed JSON"), response.body());
  }

  @Test
  void aBatchWithOneBadEventIsRefusedAsAWhole() {
    String batch = "[{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"},"
        + "{\"specversion\":\"1.0\",\"id\":\"2\",\"type\":\"t\"}]";
    assertProblem(mesh.send(mesh.request("/topics/" + topic).header("content-type", "application/cloudevents-batch+json")
        .POST(HttpRequest.BodyPublishers.ofString(batch))), 400, "[1].source");
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/cloudevents+xml", "text/plain"})
  void aBodyThatIsNoCloudEventInAnySupportedModeIsAnUnsupportedMediaType(String contentType) {
    assertProblem(mesh.send(mesh.request("/topics/" + topic).header("content-type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "content-type");
  }

  @Test
  void aBodyAboveTheLimitIsTooLarge() {
    String data = "x".repeat(MAX_BODY + 1);
    assertProblem(mesh.send(mesh.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s").header("ce-type", "t")
        .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(data))), 413, "body");
  }

  @Test
  void anIllegalTopicNameIsRefused() {
    assertProblem(mesh.send(mesh.request("/topics/bad%20topic")
        .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s").header("ce-type", "t")
        .POST(HttpRequest.BodyPublishers.ofString("x"))), 400, "topic");
  }

  @Test
  void aRequestLineOrHeadersAboveTheirLimitsAreRefusedBeforeAnyRouteRuns() {
    HttpResponse<String> longLine = onItsOwnConnection(mesh.request("/topics/" + topic + "?" + "q".repeat(5000))
        .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s").header("ce-type", "t")
        .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(414, longLine.statusCode(), longLine.body());

    HttpResponse<String> bigHeaders = onItsOwnConnection(mesh.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s").header("ce-type", "t")
        .header("x-padding", "p".repeat(9000)).POST(HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(431, bigHeaders.statusCode(), bigHeaders.body());
  }

  @Test
  void aBatchWithMoreEventsThanAllowedIsTooLargeAndNoneIsWritten() {
    IngressSettings capped = new IngressSettings(MAX_BODY, true, 2);
    try (TestMesh small = TestMesh.start(MESH.formatted(topic), capped, Path.of("../functions"))) {
      String event = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/s\",\"type\":\"t\"}";
      HttpResponse<String> three = small.send(small.request("/topics/" + topic)
          .header("content-type", "application/cloudevents-batch+json")
          .POST(HttpRequest.BodyPublishers.ofString("[" + event.formatted("a") + "," + event.formatted("b") + ","
              + event.formatted("c") + "]")));

      assertProblem(three, 413, "body");
      assertTrue(new JsonObject(three.body()).getString("message").equals("a batch holds at most 2 events, got 3"),
          three.body());
    }
  }

  // The server closes a connection after a request it cannot parse: a pooled one might be reused meanwhile.
  private static HttpResponse<String> onItsOwnConnection(HttpRequest.Builder request) {
    try {
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> structured(String json) {
    return mesh.send(mesh.request("/topics/" + topic).header("content-type", "application/cloudevents+json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    JsonObject body = new JsonObject(response.body());
    assertEquals(status, body.getInteger("status"));
    assertEquals(field, body.getString("field"), body.encode());
    assertTrue(!body.getString("message").isBlank());
  }
}
