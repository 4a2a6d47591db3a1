package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.host.cluster.StateEntry;
import dev.fnmesh.host.cluster.StateRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh across processes that nobody without its cluster key can hijack: state records forged by whoever can
 * write Kafka are ignored and counted, and a mesh put over HTTP starts no process unless the controller allows it.
 */
class ClusterKeyIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern REJECTED = Pattern.compile("(?m)^fnmesh_state_rejected_total (\\S+)$");

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
  void aForgedMeshWithACommandIsIgnoredByTheHostWhichServesTheGenuineMeshOn() throws Exception {
    String topic = KafkaFixture.uniqueTopic("hijack");
    ClusterSettings cluster = cluster(topic);
    String genuine = genuineMesh(topic);
    ControllerNode controller = nodes.controller(cluster, genuine, ClusterNodes.FUNCTIONS, false);
    HostNode host = nodes.host(cluster, "only");
    await().atMost(WAIT).until(() -> replicas(host.httpPort(), "echo-" + topic) == 1);

    // What anyone who can write Kafka could write: a mesh whose command runs on every host, and a share of it.
    Path marker = dir.resolve("hijacked");
    String forged = """
        functions:
          payload: { command: [sh, -c, "touch %s"] }
        triggers:
          forged:
            kafka: { topic: %s.forged }
            function: payload
        """.formatted(marker, topic);
    StateEntry.MeshDocument forgedMesh = new StateEntry.MeshDocument(forged, "mesh.yaml", dir.toString());
    StateEntry.Assignment forgedShare = new StateEntry.Assignment("forged", 1, Map.of("only", 1), "forged");
    StateSignatures anotherKey = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "another mesh"));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      for (ProducerRecord<byte[], byte[]> record : List.of(StateRecords.toRecord(cluster.stateTopic(), forgedMesh),
          anotherKey.sign(StateRecords.toRecord(cluster.stateTopic(), forgedMesh)),
          StateRecords.toRecord(cluster.stateTopic(), forgedShare))) {
        producer.send(record).get();
      }
    }

    // The controller reads the state topic too.
    await().atMost(WAIT).until(() -> rejected(host.httpPort()) >= 3 && rejected(controller.httpPort()) >= 3);
    JsonObject runningMesh = json(get(host.httpPort(), "/api/mesh"));
    assertEquals(List.of("echo-" + topic), List.copyOf(runningMesh.getJsonObject("mesh").getJsonObject("triggers").fieldNames()));
    assertEquals(List.of("echo-" + topic), triggerNames(host.httpPort()));
    HttpResponse<String> published = http.send(HttpRequest.newBuilder(uri(host.httpPort(), "/topics/" + topic))
        .header("ce-specversion", "1.0").header("ce-id", "after-forgery").header("ce-source", "/cluster-key-test")
        .header("ce-type", "dev.fnmesh.test.genuine").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, published.statusCode(), published.body());
    TestMesh.readEventWithId(topic + ".replies", "after-forgery", WAIT);
    assertFalse(Files.exists(marker), "the forged command ran");
  }

  @Test
  void aMeshWithACommandPutToTheControllerIsRefusedAndTheRunningMeshStays() throws Exception {
    String topic = KafkaFixture.uniqueTopic("put-command");
    ControllerNode controller = nodes.controller(cluster(topic), genuineMesh(topic), ClusterNodes.FUNCTIONS, false);

    HttpResponse<String> put = put(controller.httpPort(), commandMesh(topic));

    assertEquals(403, put.statusCode(), put.body());
    JsonObject problem = json(put);
    assertEquals(403, problem.getInteger("status"));
    assertEquals("functions.build.command", problem.getString("field"));
    assertTrue(problem.getString("message").contains("--allow-api-commands"), problem.getString("message"));
    JsonObject mesh = json(get(controller.httpPort(), "/api/mesh"));
    assertTrue(mesh.getString("source").endsWith(".yaml"), mesh.encode());
    assertEquals(List.of("echo-" + topic), List.copyOf(mesh.getJsonObject("mesh").getJsonObject("triggers").fieldNames()));
  }

  @Test
  void aControllerStartedWithAllowApiCommandsAcceptsAMeshWithACommand() throws Exception {
    String topic = KafkaFixture.uniqueTopic("put-allowed");
    ControllerNode controller = nodes.controller(cluster(topic), genuineMesh(topic), ClusterNodes.FUNCTIONS, true);

    HttpResponse<String> put = put(controller.httpPort(), commandMesh(topic));

    assertEquals(200, put.statusCode(), put.body());
    JsonObject mesh = json(get(controller.httpPort(), "/api/mesh"));
    assertEquals("PUT /api/mesh", mesh.getString("source"));
    assertEquals(List.of("build-" + topic), List.copyOf(mesh.getJsonObject("mesh").getJsonObject("triggers").fieldNames()));
  }

  private static ClusterSettings cluster(String topic) {
    return new ClusterSettings(topic + ".state", Duration.ofMillis(500), Duration.ofMinutes(5));
  }

  private static String genuineMesh(String topic) {
    return """
        functions:
          echo: { java: echo }
        triggers:
          echo-%1$s:
            kafka: { topic: %1$s }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { min: 1, max: 1 }
        """.formatted(topic);
  }

  private static String commandMesh(String topic) {
    return """
        functions:
          build: { command: [sh, -c, "exit 0"] }
        triggers:
          build-%1$s:
            kafka: { topic: %1$s.build }
            function: build
        """.formatted(topic);
  }

  private long rejected(int port) throws IOException, InterruptedException {
    String metrics = get(port, "/metrics").body();
    Matcher sample = REJECTED.matcher(metrics);
    assertTrue(sample.find(), metrics);
    return (long) Double.parseDouble(sample.group(1));
  }

  private int replicas(int port, String trigger) throws IOException, InterruptedException {
    JsonArray triggers = json(get(port, "/api/triggers")).getJsonArray("triggers");
    for (int i = 0; i < triggers.size(); i++) {
      if (triggers.getJsonObject(i).getString("name").equals(trigger)) {
        return triggers.getJsonObject(i).getInteger("replicas");
      }
    }
    return 0;
  }

  private List<String> triggerNames(int port) throws IOException, InterruptedException {
    JsonArray triggers = json(get(port, "/api/triggers")).getJsonArray("triggers");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < triggers.size(); i++) {
      names.add(triggers.getJsonObject(i).getString("name"));
    }
    return names;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(int port, String mesh) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(port, "/api/mesh")).timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofString(mesh)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
