package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code command:} function whose process exits at once, every time: its trigger shows {@code failed} with the
 * exit code in {@code GET /api/triggers}, is started again later and later, its events wait in its topic (neither
 * consumed nor dead-lettered) for a function that runs, and the mesh's other triggers go on.
 */
class CrashLoopingFunctionIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private final String healthy = KafkaFixture.uniqueTopic("healthy");
  private final String crashing = KafkaFixture.uniqueTopic("crashing");

  @Test
  void aFunctionThatExitsAtOnceFailsItsTriggerVisiblyWithBackoffAndItsEventsWait() throws Exception {
    try (TestMesh mesh = TestMesh.start(meshWith(false))) {
      Files.writeString(mesh.meshFile(), meshWith(true));
      // Idle, the trigger runs no replica once started: its first events wake it, and its function's process.
      await().atMost(WAIT).until(() -> state(mesh, crashing).getString("state").equals("running"));
      for (int i = 0; i < 5; i++) {
        assertEquals(202, publish(mesh, crashing, "waiting-" + i).statusCode());
      }
      String why = await().atMost(WAIT).until(() -> state(mesh, crashing),
          status -> status.getString("state").equals("failed")).getString("error");
      assertTrue(why.contains("exited with code 3") && why.contains("1 start failed; next in 5 s"), why);
      assertEquals(202, publish(mesh, healthy, "goes-on").statusCode());

      assertEquals("goes-on", TestMesh.readEventWithId(healthy + ".replies", "goes-on", WAIT).getId());
      // Started again after 5 s, then after 10 s: it fails again and says so.
      // Between two starts it may show no error for a moment: what counts is the second failure.
      await().atMost(WAIT).until(() -> state(mesh, crashing).getString("error", "")
          .contains("2 starts in a row failed; next in 10 s"));
      assertEquals(5, TestMesh.recordCount(crashing), "the events wait in the trigger's topic");
      assertEquals(0, TestMesh.recordCount("fnmesh." + crashing + ".dlq"), "no event was dead-lettered");
      assertEquals(Map.of(), committed("fnmesh." + crashing), "no event was consumed");
    }
  }

  private String meshWith(boolean crashLoop) {
    String text = """
        functions:
          echo: { java: echo }
          crasher: { command: [sh, -c, 'exit 3'], port: auto }
        triggers:
          %1$s:
            kafka: { topic: %1$s }
            function: echo
            reply: { topic: %1$s.replies }
        """.formatted(healthy);
    return crashLoop ? text + """
          %1$s:
            kafka: { topic: %1$s }
            function: crasher
        """.formatted(crashing) : text;
  }

  private static HttpResponse<String> publish(TestMesh mesh, String topic, String id) {
    return mesh.send(mesh.request("/topics/" + topic).header("ce-specversion", "1.0").header("ce-id", id)
        .header("ce-source", "/tests").header("ce-type", "t").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  private static JsonObject state(TestMesh mesh, String trigger) {
    HttpResponse<String> response = mesh.send(mesh.request("/api/triggers").GET());
    return new JsonObject(response.body()).getJsonArray("triggers").stream().map(JsonObject.class::cast)
        .filter(status -> status.getString("name").equals(trigger)).findFirst()
        .orElse(new JsonObject().put("state", "absent").put("error", ""));
  }

  private static Map<?, OffsetAndMetadata> committed(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }
  }
}
