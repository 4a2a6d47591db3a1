package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard over plain HTTP on a mesh with an access file: its page is served to anyone and holds no data;
 * its stream of snapshots needs the read grant.
 */
@ExtendWith(KafkaFixture.class)
class DashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String READER = "reader-token-" + System.nanoTime();
  private static final String SHOP = "shop-token-" + System.nanoTime();
  private static String topic;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() throws Exception {
    topic = KafkaFixture.uniqueTopic("dashboard");
    Path access = Files.createTempDirectory("fnmesh-dashboard").resolve("access.yaml");
    Files.writeString(access, """
        clients:
          reader: { token: { sha256: %s }, read: true }
          shop: { token: { sha256: %s }, publish: [%s] }
        """.formatted(sha256(READER), sha256(SHOP), topic));
    mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          ledger:
            kafka: { topic: %s, partitions: 2 }
            function: echo
        """.formatted(topic), new HttpPortSettings(HttpAddress.loopback(0), Optional.of(access), Optional.empty()));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void thePageIsServedWithoutATokenUnderAStrictPolicyAndHoldsNoData() {
    HttpResponse<String> page = mesh.send(mesh.request("/ui").GET());

    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
    assertTrue(page.headers().firstValue("content-security-policy").orElseThrow().startsWith("default-src 'none'"));
    assertFalse(page.body().contains("ledger"), "the page names a trigger");
    assertEquals(200, mesh.send(mesh.request("/ui/dashboard.js").GET()).statusCode());
    assertEquals(401, mesh.send(mesh.request("/ui/other.js").GET()).statusCode(), "only the page's own files are open");
  }

  @Test
  void theStreamIsRefusedWithoutATokenAndWithoutTheReadGrant() {
    HttpResponse<String> anonymous = mesh.send(mesh.request("/api/stream").GET());
    HttpResponse<String> shop = mesh.send(mesh.request("/api/stream").header("Authorization", "Bearer " + SHOP).GET());

    assertEquals(401, anonymous.statusCode(), anonymous.body());
    assertEquals("Bearer realm=\"fnmesh\"", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertFalse(anonymous.body().contains("ledger"));
    assertEquals(403, shop.statusCode(), shop.body());
    assertEquals("client 'shop' lacks the grant read", new JsonObject(shop.body()).getString("message"));
  }

  @Test
  void theStreamSendsTheTriggersAsJsonSnapshotsOfServerSentEvents() throws Exception {
    HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(mesh.request("/api/stream")
        .header("Authorization", "Bearer " + READER).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertEquals(200, stream.statusCode());
      assertEquals("text/event-stream", stream.headers().firstValue("content-type").orElseThrow());

      JsonObject snapshot = nextSnapshot(events);

      assertEquals("mesh", snapshot.getString("role"));
      JsonArray triggers = snapshot.getJsonArray("triggers");
      assertEquals(1, triggers.size(), snapshot.encode());
      JsonObject ledger = triggers.getJsonObject(0);
      assertEquals("ledger", ledger.getString("name"));
      assertEquals(topic, ledger.getString("topic"));
      assertTrue(ledger.getJsonObject("events").containsKey("deadLettered"), ledger.encode());
      assertTrue(ledger.getJsonObject("scaling").containsKey("lagByPartition"), ledger.encode());
      assertFalse(snapshot.containsKey("hosts"), "fnmesh up has no hosts to show");
    }
  }

  /** The JSON of the next event's {@code data:} line; fails the test when none comes within the wait. */
  static JsonObject nextSnapshot(BufferedReader events) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = events.readLine(); line != null; line = events.readLine()) {
          if (line.startsWith("data: ")) {
            return new JsonObject(line.substring("data: ".length()));
          }
        }
        throw new AssertionError("the stream ended before a snapshot");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static String sha256(String token) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
