package dev.fnmesh.launcher;

import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dashboard's stream on a controller names the hosts and what runs where; on a host, what runs there. */
@ExtendWith(KafkaFixture.class)
class DashboardAcrossProcessesIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

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
  void aControllersSnapshotsNameItsHostsAndTheReplicasEachWasGiven() throws Exception {
    String topic = KafkaFixture.uniqueTopic("dashboard-cluster");
    String trigger = "steady-" + topic;
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), Duration.ofMinutes(5));
    String mesh = """
        functions:
          echo: { java: echo }
        triggers:
          %s:
            kafka: { topic: %s, partitions: 2 }
            function: echo
            scale: { min: 2, max: 2 }
        """.formatted(trigger, topic);
    ControllerNode controller = nodes.controller(cluster, mesh);
    HostNode host = nodes.host(cluster, "dash-host");

    JsonObject atController = snapshotWhere(controller.httpPort(), snapshot ->
        snapshot.getJsonArray("hosts").contains("dash-host") && snapshot.getJsonArray("triggers").size() == 1
            && snapshot.getJsonArray("triggers").getJsonObject(0).getJsonObject("scaling").getJsonObject("hosts")
            .getInteger("dash-host", 0) == 2);
    JsonObject atHost = snapshotWhere(host.httpPort(), snapshot -> snapshot.getJsonArray("triggers").size() == 1
        && snapshot.getJsonArray("triggers").getJsonObject(0).getInteger("replicas") == 2);

    assertEquals("controller", atController.getString("role"));
    assertEquals(new JsonArray().add("dash-host"), atController.getJsonArray("hosts"));
    assertEquals("host", atHost.getString("role"));
    assertEquals(trigger, atHost.getJsonArray("triggers").getJsonObject(0).getString("name"));
    assertEquals(null, atHost.getJsonArray("hosts"), "a host shows no hosts");
  }

  /** Reads the process's stream until a snapshot satisfies {@code wanted}; fails the test when none does in time. */
  private JsonObject snapshotWhere(int port, Predicate<JsonObject> wanted) throws Exception {
    HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      JsonObject snapshot;
      do {
        snapshot = DashboardIT.nextSnapshot(events);
      } while (!wanted.test(snapshot) && System.nanoTime() < deadline);
      assertEquals(true, wanted.test(snapshot), "the last snapshot: " + snapshot.encode());
      return snapshot;
    }
  }
}
