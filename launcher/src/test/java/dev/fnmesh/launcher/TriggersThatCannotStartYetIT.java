package dev.fnmesh.launcher;

import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh starts even when one of its triggers cannot start yet: that trigger shows {@code failed} with Kafka's
 * reason and is started again later, while the others run.
 */
class TriggersThatCannotStartYetIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aTriggerWhoseTopicKafkaRefusesShowsWhyWhileTheRestOfTheMeshRuns() {
    try (TestMesh mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          refused:
            kafka: { topic: start-refused, partitions: 1, config: { cleanup.policy: nonsense } }
            function: echo
          works:
            kafka: { topic: start-works, partitions: 1 }
            function: echo
            reply: { topic: start-works.replies }
        """)) {
      HttpResponse<String> status = mesh.send(mesh.request("/api/triggers").GET());

      JsonObject refused = trigger(status, "refused");
      assertEquals("failed", refused.getString("state"), status.body());
      String error = refused.getString("error");
      assertTrue(error.contains("Kafka topic 'start-refused': could not create it") && error.contains("cleanup.policy"),
          error);
      assertTrue(error.contains("starts in a row failed") || error.contains("start failed"), error);
      assertEquals("running", trigger(status, "works").getString("state"), status.body());

      String id = UUID.randomUUID().toString();
      HttpResponse<String> published = mesh.send(mesh.request("/topics/start-works")
          .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/tests/start")
          .header("ce-type", "dev.fnmesh.test.start").POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertEquals(202, published.statusCode(), published.body());
      CloudEvent reply = TestMesh.readEventWithId("start-works.replies", id, WAIT);
      assertEquals("dev.fnmesh.test.start", reply.getType());
    }
  }

  private static JsonObject trigger(HttpResponse<String> response, String name) {
    JsonArray triggers = new JsonObject(response.body()).getJsonArray("triggers");
    return IntStream.range(0, triggers.size()).mapToObj(triggers::getJsonObject)
        .filter(trigger -> trigger.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no trigger " + name + " in " + response.body()));
  }
}
