package dev.fnmesh.launcher;

import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seek in a mesh across processes: the controller, which places the replicas, holds the trigger at zero on
 * every host, moves its group and lets it run again; a host refuses and points to the controller.
 */
class SeekAcrossHostsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;
  private ClusterNodes nodes;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void nodes() {
    nodes = new ClusterNodes(dir);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void theControllerHoldsTheTriggerOnEveryHostMovesItsGroupAndTheEventsAreHandledAgain() throws Exception {
    String topic = KafkaFixture.uniqueTopic("seek-hosts");
    String replies = topic + ".replies";
    String trigger = "work-" + topic;
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), Duration.ofMinutes(5));
    String mesh = """
        functions:
          echo: { java: echo }
        triggers:
          %s:
            kafka: { topic: %s, partitions: 2 }
            function: echo
            reply: { topic: %s }
            scale: { min: 2, max: 2 }
        """.formatted(trigger, topic, replies);
    ControllerNode controller = nodes.controller(cluster, mesh);
    HostNode first = nodes.host(cluster, "first");
    nodes.host(cluster, "second");
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> published = send(HttpRequest.newBuilder(uri(first.httpPort(), "/topics/" + topic))
          .header("ce-specversion", "1.0").header("ce-id", "e-" + i).header("ce-source", "/test")
          .header("ce-type", "t").POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertEquals(202, published.statusCode(), published.body());
    }
    await().atMost(WAIT).until(() -> TestMesh.recordCount(replies) == 4);

    HttpResponse<String> onHost = seek(first.httpPort(), trigger, "{\"offset\":\"earliest\"}");
    assertEquals(409, onHost.statusCode(), onHost.body());
    assertTrue(new JsonObject(onHost.body()).getString("message").contains("send the seek to the controller"),
        onHost.body());
    assertEquals(4, TestMesh.recordCount(replies), "a refused seek moves nothing");

    HttpResponse<String> moved = seek(controller.httpPort(), trigger, "{\"offset\":\"earliest\"}");
    assertEquals(200, moved.statusCode(), moved.body());
    JsonObject answer = new JsonObject(moved.body());
    assertEquals(2, answer.getJsonArray("partitions").size());
    assertEquals(4L, answer.getJsonArray("partitions").stream()
        .mapToLong(move -> java.util.Objects.requireNonNullElse(((JsonObject) move).getLong("from"), 0L)).sum(),
        moved.body());
    await().atMost(WAIT).until(() -> TestMesh.recordCount(replies) == 8);
  }

  private HttpResponse<String> seek(int port, String trigger, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(port, "/api/triggers/" + trigger + "/seek"))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(150)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
