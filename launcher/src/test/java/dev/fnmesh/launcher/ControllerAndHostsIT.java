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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A controller and hosts of one mesh, each with its own Vert.x and Kafka clients, in the test JVM: the mesh
 * reaches the hosts through the state topic, a host that stops hands its replicas over at once, an event
 * published to a sleeping trigger through a host wakes it without waiting for the next lag poll, and a
 * secret a function's env names is read by the host that runs it, never carried between processes.
 */
class ControllerAndHostsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  // Longer than any wait here: what moves replicas in these tests is a host saying goodbye, not silence.
  private static final Duration HOST_TIMEOUT = Duration.ofMinutes(5);

  // A process function that answers every event with the TOKEN of its environment.
  private static final String TOKEN_FUNCTION = """
      import os
      from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

      class Token(BaseHTTPRequestHandler):
          protocol_version = "HTTP/1.1"

          def do_POST(self):
              self.rfile.read(int(self.headers.get("content-length", "0")))
              body = os.environ.get("TOKEN", "").encode()
              self.send_response(200)
              self.send_header("content-type", "text/plain")
              self.send_header("content-length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

      ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Token).serve_forever()
      """;

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
  void theControllersMeshRunsOnTheHostsAndAHostThatStopsHandsItsReplicasOver() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cluster");
    String steady = "steady-" + topic;
    String added = "added-" + topic;
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), HOST_TIMEOUT);
    ControllerNode controller = nodes.controller(cluster, """
        functions:
          echo: { java: echo }
        triggers:
          steady-%1$s:
            kafka: { topic: %1$s, partitions: 4 }
            function: echo
            scale: { min: 4, max: 4 }
        """.formatted(topic));
    HostNode first = nodes.host(cluster, "first");
    HostNode second = nodes.host(cluster, "second");
    await().atMost(WAIT).until(() -> placement(controller.httpPort(), steady).equals(Map.of("first", 2, "second", 2)));
    await().atMost(WAIT).until(() -> replicasOn(first.httpPort(), steady) == 2 && replicasOn(second.httpPort(), steady) == 2);
    // The controller counts what the hosts say runs on them, with their next beats.
    await().atMost(WAIT).until(() -> send(HttpRequest.newBuilder(uri(controller.httpPort(), "/metrics")).GET()).body()
        .contains("fnmesh_trigger_replicas{trigger=\"" + steady + "\"} 4"));
    String controllerMetrics = send(HttpRequest.newBuilder(uri(controller.httpPort(), "/metrics")).GET()).body();
    assertTrue(controllerMetrics.contains("fnmesh_trigger_lag{trigger=\"" + steady + "\"}"), controllerMetrics);
    assertFalse(controllerMetrics.contains("fnmesh_trigger_events_total"), "the controller handles no events");
    String hostMetrics = send(HttpRequest.newBuilder(uri(first.httpPort(), "/metrics")).GET()).body();
    assertTrue(hostMetrics.contains("fnmesh_trigger_replicas{trigger=\"" + steady + "\"} 2"), hostMetrics);
    assertTrue(hostMetrics.contains("fnmesh_trigger_events_total{outcome=\"received\",trigger=\"" + steady + "\"}"), hostMetrics);
    assertFalse(hostMetrics.contains("fnmesh_trigger_lag"), "a host does not measure lag");

    // A new mesh given to the controller reaches the hosts.
    HttpResponse<String> put = send(HttpRequest.newBuilder(uri(controller.httpPort(), "/api/mesh"))
        .PUT(HttpRequest.BodyPublishers.ofString("""
            functions:
              echo: { java: echo }
            triggers:
              steady-%1$s:
                kafka: { topic: %1$s, partitions: 4 }
                function: echo
                scale: { min: 4, max: 4 }
              added-%1$s:
                kafka: { topic: %1$s.added, partitions: 2 }
                function: echo
                scale: { min: 1 }
            """.formatted(topic))));
    assertEquals(200, put.statusCode(), put.body());
    await().atMost(WAIT).until(() -> replicasOn(first.httpPort(), added) + replicasOn(second.httpPort(), added) == 1);

    second.close();
    await().atMost(WAIT).until(() -> placement(controller.httpPort(), steady).equals(Map.of("first", 4)));
    await().atMost(WAIT).until(() -> replicasOn(first.httpPort(), steady) == 4 && replicasOn(first.httpPort(), added) == 1);
  }

  @Test
  void hostsKeepTheirReplicasWhileTheControllerIsAwayAndARestartedControllerFindsThem() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cluster-restart");
    String kept = "kept-" + topic;
    // Hosts count as live only with fresh beats: the restarted controller must find them beating.
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), Duration.ofSeconds(3));
    String mesh = """
        functions:
          echo: { java: echo }
        triggers:
          kept-%1$s:
            kafka: { topic: %1$s, partitions: 2 }
            function: echo
            scale: { min: 2, max: 2 }
        """.formatted(topic);
    ControllerNode controller = nodes.controller(cluster, mesh);
    HostNode first = nodes.host(cluster, "first");
    HostNode second = nodes.host(cluster, "second");
    await().atMost(WAIT).until(() -> replicasOn(first.httpPort(), kept) == 1 && replicasOn(second.httpPort(), kept) == 1);

    controller.close();
    // The host runs on without a controller: its replicas stay for several beats.
    await().during(cluster.beatInterval().multipliedBy(4)).atMost(WAIT)
        .until(() -> replicasOn(first.httpPort(), kept) == 1 && replicasOn(second.httpPort(), kept) == 1);

    ControllerNode restarted = nodes.controller(cluster, mesh);
    JsonObject hosts = new JsonObject(send(HttpRequest.newBuilder(uri(restarted.httpPort(), "/api/hosts")).GET()).body());
    assertEquals(List.of("first", "second"), hosts.getJsonArray("hosts").getList(), "found on the state topic");
    assertEquals(Map.of("first", 1, "second", 1), placement(restarted.httpPort(), kept));
  }

  @Test
  void aTriggerGoesToTheHostsThatCanRunItUntilTheOthersCanToo() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cluster-jar");
    String resize = "resize-" + topic;
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), HOST_TIMEOUT);
    Path withJar = Files.createDirectory(dir.resolve("with-jar"));
    Files.copy(Path.of("../functions/resize.jar"), withJar.resolve("resize.jar"));
    Path withoutJar = Files.createDirectory(dir.resolve("without-jar"));
    ControllerNode controller = nodes.controller(cluster, """
        functions:
          resize: { java: resize, jar: resize.jar }
        triggers:
          %1$s:
            kafka: { topic: %2$s, partitions: 4 }
            function: resize
            scale: { min: 2, max: 2 }
        """.formatted(resize, topic));
    HostNode able = nodes.host(cluster, "able", withJar);
    HostNode lacking = nodes.host(cluster, "lacking", withoutJar);

    await().atMost(WAIT).until(() -> placement(controller.httpPort(), resize).equals(Map.of("able", 2))
        && replicasOn(able.httpPort(), resize) == 2);
    await().atMost(WAIT).until(() -> trigger(controller.httpPort(), resize).getString("error") != null
        && trigger(controller.httpPort(), resize).getInteger("replicas") == 2);
    JsonObject status = trigger(controller.httpPort(), resize);
    assertEquals("running", status.getString("state"));
    assertTrue(status.getString("error").startsWith("host lacking: the mesh cannot run on this host"), status.getString("error"));

    // The jar arrives: the host plans the mesh again, runs it and gets its share.
    Files.copy(Path.of("../functions/resize.jar"), withoutJar.resolve("resize.jar"));
    await().atMost(WAIT).until(() -> placement(controller.httpPort(), resize).equals(Map.of("able", 1, "lacking", 1))
        && replicasOn(lacking.httpPort(), resize) == 1);
    await().atMost(WAIT).until(() -> trigger(controller.httpPort(), resize).getString("error") == null);
  }

  @Test
  void aHostRefusesANewMeshAndSaysWhereToSendIt() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cluster-put");
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), HOST_TIMEOUT);
    nodes.controller(cluster, """
        functions:
          echo: { java: echo }
        triggers:
          t-%1$s:
            kafka: { topic: %1$s }
            function: echo
        """.formatted(topic));
    HostNode host = nodes.host(cluster, "only");
    HttpResponse<String> put = send(HttpRequest.newBuilder(uri(host.httpPort(), "/api/mesh"))
        .PUT(HttpRequest.BodyPublishers.ofString("functions: {}\ntriggers: {}\n")));
    assertEquals(405, put.statusCode());
    assertEquals(Optional.of("GET"), put.headers().firstValue("allow"));
    JsonObject problem = new JsonObject(put.body());
    assertEquals("mesh", problem.getString("field"));
    assertTrue(problem.getString("message").contains("controller"), problem.getString("message"));
    assertEquals(1, send(HttpRequest.newBuilder(uri(host.httpPort(), "/api/triggers")).GET()).body().split("\"name\"").length - 1,
        "the host still runs the controller's mesh");
  }

  @Test
  void anEventPublishedThroughAHostWakesASleepingTriggerBeforeTheNextLagPoll() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cluster-wake");
    String sleepy = "sleepy-" + topic;
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), HOST_TIMEOUT);
    ControllerNode controller = nodes.controller(cluster, """
        functions:
          echo: { java: echo }
        triggers:
          sleepy-%1$s:
            kafka: { topic: %1$s, partitions: 2 }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { pollInterval: PT5M }
        """.formatted(topic));
    HostNode host = nodes.host(cluster, "waker");
    await().atMost(WAIT).until(() -> trigger(host.httpPort(), sleepy) != null
        && trigger(host.httpPort(), sleepy).getString("state").equals("running"));
    assertEquals(0, replicasOn(host.httpPort(), sleepy), "the trigger sleeps");

    HttpResponse<String> published = send(HttpRequest.newBuilder(uri(host.httpPort(), "/topics/" + topic))
        .header("ce-specversion", "1.0").header("ce-id", "wake-1").header("ce-source", "/cluster-test")
        .header("ce-type", "dev.fnmesh.test.wake").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(202, published.statusCode(), published.body());
    // The next lag poll is minutes away: only the host's wake-up request can start a replica this soon.
    var replies = TestMesh.readEventsWithIds(topic + ".replies", List.of("wake-1"), WAIT);
    assertEquals(List.of("wake-1"), replies.stream().map(event -> event.getId()).collect(Collectors.toList()));
    String decision = trigger(controller.httpPort(), sleepy).getJsonObject("scaling").getString("lastDecision");
    assertTrue(decision.startsWith("woken from zero"), decision);
  }

  @Test
  void aProcessFunctionGetsTheSecretItsEnvNamesWhileTheStateTopicAndTheApiCarryOnlyTheReference() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cluster-secrets");
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), HOST_TIMEOUT);
    String secret = "s3cret-" + topic;
    Path token = Files.writeString(dir.resolve("token"), secret + "\n");
    Path script = Files.writeString(dir.resolve("token.py"), TOKEN_FUNCTION);
    ControllerNode controller = nodes.controller(cluster, """
        functions:
          token:
            command: [python3, %2$s]
            env: { TOKEN: { file: %3$s }, MODE: fast }
          broken:
            command: [python3, %2$s]
            env: { TOKEN: { file: %3$s.absent } }
        triggers:
          broken-%1$s:
            kafka: { topic: %1$s }
            function: broken
            scale: { min: 1 }
        """.formatted(topic, script, token));
    HostNode host = nodes.host(cluster, "secrets");
    await().atMost(WAIT).until(() -> send(HttpRequest.newBuilder(uri(host.httpPort(), "/api/mesh")).GET())
        .statusCode() == 200);

    HttpResponse<String> called = send(HttpRequest.newBuilder(uri(host.httpPort(), "/functions/token"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(200, called.statusCode(), called.body());
    assertEquals(secret, called.body(), "the process reads the file's content, its trailing newline cut");

    String reference = "{\"file\":\"" + token + "\"}";
    for (int port : List.of(controller.httpPort(), host.httpPort())) {
      JsonObject env = new JsonObject(send(HttpRequest.newBuilder(uri(port, "/api/mesh")).GET()).body())
          .getJsonObject("mesh").getJsonObject("functions").getJsonObject("token").getJsonObject("env");
      assertEquals(new JsonObject(reference), env.getJsonObject("TOKEN"));
      assertEquals("<redacted>", env.getString("MODE"));
    }
    List<String> records = TestMesh.readRecordsUntil(cluster.stateTopic(), read -> read.stream()
        .anyMatch(record -> text(record.value()).contains(token.toString())), WAIT).stream()
        .map(record -> text(record.value())).toList();
    assertTrue(records.stream().anyMatch(record -> record.contains("TOKEN: { file: " + token + " }")), "" + records);
    assertTrue(records.stream().noneMatch(record -> record.contains(secret)), "a state record holds the secret");

    // A secret that cannot be read fails the start, named by its key, where the function's status shows it.
    HttpResponse<String> broken = send(HttpRequest.newBuilder(uri(host.httpPort(), "/functions/broken"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(503, broken.statusCode(), broken.body());
    assertEquals("functions.broken.env.TOKEN", new JsonObject(broken.body()).getString("field"));
    await().atMost(WAIT).until(() -> {
      JsonObject status = trigger(host.httpPort(), "broken-" + topic);
      return status != null && "failed".equals(status.getString("state"))
          && status.getString("error").contains("functions.broken.env.TOKEN: secret file " + token + ".absent");
    });
  }

  private static String text(byte[] value) {
    return value == null ? "" : new String(value, StandardCharsets.UTF_8);
  }

  private Map<String, Integer> placement(int controllerPort, String trigger) throws IOException, InterruptedException {
    JsonObject hosts = trigger(controllerPort, trigger).getJsonObject("scaling").getJsonObject("hosts");
    return hosts.fieldNames().stream().collect(Collectors.toMap(host -> host, hosts::getInteger));
  }

  private int replicasOn(int port, String trigger) throws IOException, InterruptedException {
    JsonObject status = trigger(port, trigger);
    return status == null ? 0 : status.getInteger("replicas");
  }

  private JsonObject trigger(int port, String name) throws IOException, InterruptedException {
    var triggers = new JsonObject(send(HttpRequest.newBuilder(uri(port, "/api/triggers")).GET()).body())
        .getJsonArray("triggers");
    for (int i = 0; i < triggers.size(); i++) {
      if (triggers.getJsonObject(i).getString("name").equals(name)) {
        return triggers.getJsonObject(i);
      }
    }
    return null;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
