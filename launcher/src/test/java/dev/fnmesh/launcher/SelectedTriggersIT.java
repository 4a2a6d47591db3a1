package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A process told to run only some triggers ({@code fnmesh up --triggers greet --replicas 1}), as each pod of a
 * trigger scaled by KEDA is: it runs those at a fixed count, never scaling them to zero, and runs no other,
 * while its ingress takes events for every topic of the mesh.
 */
class SelectedTriggersIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String mesh(String greetings, String echoes) {
    return """
        functions:
          echo: { java: echo }
        triggers:
          greet:
            kafka: { topic: %1$s, partitions: 2 }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { min: 0, max: 2, cooldown: PT0S, pollInterval: PT0.2S }
          echo:
            kafka: { topic: %2$s, partitions: 2 }
            function: echo
            reply: { topic: %2$s.replies }
        """.formatted(greetings, echoes);
  }

  @Test
  void runsOnlyTheNamedTriggersAtTheirFixedReplicasAndTakesEventsForEveryTopic() {
    String greetings = KafkaFixture.uniqueTopic("selected-greet");
    String echoes = KafkaFixture.uniqueTopic("selected-echo");
    try (TestMesh mesh = TestMesh.startOnly(mesh(greetings, echoes), Set.of("greet"), 2)) {
      // Idle and with min 0, it would be at zero: here it keeps its two replicas.
      await().atMost(WAIT).until(() -> triggers(mesh).size() == 1 && replicas(mesh, "greet") == 2);
      assertEquals(List.of("greet"), triggers(mesh).stream().map(t -> ((JsonObject) t).getString("name")).toList());

      assertEquals(202, publish(mesh, greetings, "g-1"));
      assertEquals(202, publish(mesh, echoes, "e-1"));
      TestMesh.readEventWithId(greetings + ".replies", "g-1", WAIT);
      assertEquals(1, TestMesh.recordCount(echoes), "the ingress wrote the event of a trigger that runs elsewhere");
      assertEquals(2, replicas(mesh, "greet"));
    }
  }

  @Test
  void runsNoTriggerWhenToldNoneAndStillTakesEvents() {
    String greetings = KafkaFixture.uniqueTopic("ingress-only-greet");
    String echoes = KafkaFixture.uniqueTopic("ingress-only-echo");
    try (TestMesh mesh = TestMesh.startOnly(mesh(greetings, echoes), Set.of(), 1)) {
      assertEquals(202, publish(mesh, greetings, "g-1"));
      assertEquals(0, triggers(mesh).size());
      assertEquals(1, TestMesh.recordCount(greetings));
    }
  }

  private static int publish(TestMesh mesh, String topic, String id) {
    return mesh.send(mesh.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/test")
        .header("ce-type", "com.example.greeting").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}"))).statusCode();
  }

  private static JsonArray triggers(TestMesh mesh) {
    return new JsonObject(mesh.send(mesh.request("/api/triggers").GET()).body()).getJsonArray("triggers");
  }

  private static int replicas(TestMesh mesh, String trigger) {
    return triggers(mesh).stream().map(JsonObject.class::cast).filter(t -> t.getString("name").equals(trigger))
        .findFirst().map(t -> t.getInteger("replicas")).orElse(-1);
  }
}
