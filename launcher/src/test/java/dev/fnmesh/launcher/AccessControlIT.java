package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh started with an access file: every route but the health check and webhooks needs a bearer token
 * whose client has the grant; a refusal writes nothing to Kafka and changes nothing, and the mesh goes on
 * serving the clients that may.
 */
@ExtendWith(KafkaFixture.class)
class AccessControlIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SHOP = "shop-token-" + System.nanoTime();
  private static final String OPS = "ops-token-" + System.nanoTime();
  private static final String BURST = "burst-token-" + System.nanoTime();
  private static String orders;
  private static String greetings;
  private static String meshText;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() throws Exception {
    orders = KafkaFixture.uniqueTopic("access-orders");
    greetings = KafkaFixture.uniqueTopic("access-greetings");
    Path dir = Files.createTempDirectory("fnmesh-access");
    Path shopToken = dir.resolve("shop.token");
    Files.writeString(shopToken, SHOP + "\n");
    Path access = dir.resolve("access.yaml");
    Files.writeString(access, """
        clients:
          shop:
            token: { file: %s }
            publish: [%s]
            invoke: [echo]
          burst:
            token: { sha256: %s }
            publish: ["access-orders*"]
            rate: 2/m
          ops:
            token: { sha256: %s }
            read: true
            admin: true
        """.formatted(shopToken, orders, sha256(BURST), sha256(OPS)));
    meshText = """
        functions:
          echo: { java: echo }
        triggers:
          echo:
            kafka: { topic: %s, partitions: 1 }
            function: echo
        topics:
          %s: { partitions: 1 }
        """.formatted(orders, greetings);
    mesh = TestMesh.start(meshText, new HttpPortSettings(HttpAddress.loopback(0), Optional.of(access), Optional.empty()));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void withoutATokenEveryRouteButTheProbesIs401AndNothingIsWritten() {
    long before = TestMesh.recordCount(orders);

    HttpResponse<String> refused = mesh.send(event("/topics/" + orders, "no-token", null));

    assertEquals(401, refused.statusCode(), refused.body());
    assertEquals("Bearer realm=\"fnmesh\"", refused.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertEquals("authorization", new JsonObject(refused.body()).getString("field"));
    assertEquals(401, mesh.send(mesh.request("/api/mesh").GET()).statusCode());
    assertEquals(401, mesh.send(mesh.request("/metrics").GET()).statusCode());
    assertEquals(401, mesh.send(mesh.request("/nowhere").GET()).statusCode(), "a 404 would list the routes");
    assertEquals(200, mesh.send(mesh.request("/healthz").GET()).statusCode());
    assertEquals(200, mesh.send(mesh.request("/readyz").GET()).statusCode());
    assertEquals(200, mesh.send(mesh.request("/livez").GET()).statusCode());
    assertEquals(401, mesh.send(event("/topics/" + orders, "wrong-token", "not-" + SHOP)).statusCode());
    assertEquals(before, TestMesh.recordCount(orders));
  }

  @Test
  void aClientPublishesAndInvokesWhatItIsGrantedAndNothingElse() {
    HttpResponse<String> accepted = mesh.send(event("/topics/" + orders, "granted-1", SHOP));
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("granted-1", TestMesh.readEventWithId(orders, "granted-1", WAIT).getId());
    assertEquals(200, mesh.send(event("/functions/echo", "invoked-1", SHOP)).statusCode());

    HttpResponse<String> forbidden = mesh.send(event("/topics/" + greetings, "forbidden-1", SHOP));

    assertEquals(403, forbidden.statusCode(), forbidden.body());
    assertEquals("client 'shop' lacks the grant publish:" + greetings, new JsonObject(forbidden.body()).getString("message"));
    assertEquals(0, TestMesh.recordCount(greetings));
    assertEquals(403, mesh.send(mesh.request("/api/mesh").header("Authorization", "Bearer " + SHOP).GET()).statusCode());
  }

  @Test
  void onlyAnAdminChangesTheMesh() {
    String commandMesh = meshText + "\n  sh: { command: [sh, -c, \"echo owned\"] }\n";
    HttpResponse<String> forbidden = mesh.send(mesh.request("/api/mesh").header("Authorization", "Bearer " + SHOP)
        .PUT(HttpRequest.BodyPublishers.ofString(commandMesh)));

    assertEquals(403, forbidden.statusCode(), forbidden.body());
    assertTrue(forbidden.body().contains("lacks the grant admin"), forbidden.body());
    HttpResponse<String> shown = mesh.send(mesh.request("/api/mesh").header("Authorization", "Bearer " + OPS).GET());
    assertEquals(200, shown.statusCode(), shown.body());
    assertTrue(!shown.body().contains("owned"), "the refused mesh must not be running: " + shown.body());
    assertEquals(200, mesh.send(mesh.request("/metrics").header("Authorization", "Bearer " + OPS).GET()).statusCode());
    for (String moving : List.of("/api/triggers/echo/seek", "/api/triggers/echo/redrive")) {
      HttpResponse<String> refused = mesh.send(mesh.request(moving).header("Authorization", "Bearer " + SHOP)
          .POST(HttpRequest.BodyPublishers.ofString("{\"offset\":\"earliest\"}")));
      assertEquals(403, refused.statusCode(), moving + ": " + refused.body());
      assertTrue(refused.body().contains("lacks the grant admin"), refused.body());
    }
  }

  @Test
  void aClientOverItsRateIs429WithRetryAfterAndOnlyWhatItWasAllowedIsWritten() {
    long before = TestMesh.recordCount(orders);
    assertEquals(202, mesh.send(event("/topics/" + orders, "burst-1", BURST)).statusCode());
    assertEquals(202, mesh.send(event("/topics/" + orders, "burst-2", BURST)).statusCode());

    HttpResponse<String> over = mesh.send(event("/topics/" + orders, "burst-3", BURST));

    assertEquals(429, over.statusCode(), over.body());
    long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After: " + retryAfter);
    TestMesh.readEventWithId(orders, "burst-2", WAIT);
    assertEquals(before + 2, TestMesh.recordCount(orders));
  }

  private static HttpRequest.Builder event(String path, String id, String token) {
    HttpRequest.Builder request = mesh.request(path)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/access")
        .header("ce-type", "com.example.order.created").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}"));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
