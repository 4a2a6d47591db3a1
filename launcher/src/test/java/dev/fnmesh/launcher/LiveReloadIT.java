package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running mesh changes without a restart, by editing the mesh file or with {@code PUT /api/mesh}: new
 * triggers start, changed ones restart, removed ones drain and stop, and no acknowledged event is lost.
 */
class LiveReloadIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private final String a = KafkaFixture.uniqueTopic("reload-a");
  private final String b = KafkaFixture.uniqueTopic("reload-b");

  @Test
  void triggersAreAddedChangedAndRemovedUnderTrafficWithoutLosingAnEvent() throws Exception {
    try (TestMesh mesh = TestMesh.start(meshWith(true, false, "echo"))) {
      Set<String> ackedA = ConcurrentHashMap.newKeySet();
      Set<String> ackedB = ConcurrentHashMap.newKeySet();
      AtomicBoolean running = new AtomicBoolean(true);
      Thread traffic = new Thread(() -> publishUntilStopped(mesh, running, ackedA, ackedB));
      traffic.start();
      await().atMost(WAIT).until(() -> ackedA.size() > 50);

      Files.writeString(mesh.meshFile(), meshWith(true, true, "echo"));
      await().atMost(WAIT).until(() -> triggerNames(mesh).contains("b"));
      await().atMost(WAIT).until(() -> ackedB.size() > 50);

      HttpResponse<String> changed = mesh.send(mesh.request("/api/mesh")
          .PUT(HttpRequest.BodyPublishers.ofString(meshWith(true, true, "slow"))));
      assertEquals(200, changed.statusCode(), changed.body());
      int beforeRemoval = ackedB.size();
      await().atMost(WAIT).until(() -> ackedB.size() > beforeRemoval + 50);

      Files.writeString(mesh.meshFile(), meshWith(true, false, "slow"));
      await().atMost(WAIT).until(() -> !triggerNames(mesh).contains("b"));
      int whileRemoved = ackedB.size();
      await().atMost(WAIT).until(() -> ackedB.size() > whileRemoved + 50);

      Files.writeString(mesh.meshFile(), meshWith(true, true, "slow"));
      await().atMost(WAIT).until(() -> triggerNames(mesh).contains("b"));
      running.set(false);
      traffic.join();

      assertEverythingAnswered(a + ".replies", ackedA);
      assertEverythingAnswered(b + ".replies", ackedB);
    }
  }

  @Test
  void anInvalidMeshIsRefusedWithItsProblemsAndTheRunningMeshStaysAsItWas() {
    try (TestMesh mesh = TestMesh.start(meshWith(true, false, "echo"))) {
      String before = mesh.send(mesh.request("/api/mesh").GET()).body();

      HttpResponse<String> refused = mesh.send(mesh.request("/api/mesh").PUT(HttpRequest.BodyPublishers.ofString(
          meshWith(true, false, "echo").replace(a + ", partitions: 2", a + ", partitions: lots"))));
      HttpResponse<String> unknownFunction = mesh.send(mesh.request("/api/mesh").PUT(HttpRequest.BodyPublishers.ofString(
          meshWith(true, false, "echo").replace("java: echo", "java: com.example.Missing"))));

      assertEquals(400, refused.statusCode());
      JsonObject problem = new JsonObject(refused.body()).getJsonArray("problems").getJsonObject(0);
      assertTrue(problem.getString("key").endsWith("kafka.partitions"), refused.body());
      assertTrue(problem.getInteger("line") > 0, refused.body());
      assertEquals(400, unknownFunction.statusCode());
      assertTrue(unknownFunction.body().contains("com.example.Missing"), unknownFunction.body());
      assertEquals(before, mesh.send(mesh.request("/api/mesh").GET()).body());
      assertEquals(List.of("a"), triggerNames(mesh));
    }
  }

  @Test
  void theRunningMeshIsShownWithSecretsRedacted() {
    String withWebhook = meshWith(true, false, "echo") + """
          hook:
            webhook: { path: %s, hmac: { header: X-Signature, algorithm: sha256 }, secret: { env: PATH } }
            function: echo
        """.formatted(a);
    try (TestMesh mesh = TestMesh.start(withWebhook)) {
      JsonObject shown = new JsonObject(mesh.send(mesh.request("/api/mesh").GET()).body());

      JsonObject hook = shown.getJsonObject("mesh").getJsonObject("triggers").getJsonObject("hook");
      assertEquals("<redacted>", hook.getJsonObject("webhook").getString("secret"));
      assertEquals(Set.of("a", "hook"), new HashSet<>(triggerNames(mesh)));
    }
  }

  /** Without trigger b its topic is still declared, so that events published meanwhile wait for b's return. */
  private String meshWith(boolean withA, boolean withB, String functionOfA) {
    StringBuilder yaml = new StringBuilder("""
        functions:
          echo: { java: echo }
          slow: { java: sleep, config: { ms: 1 } }
        """);
    if (!withB) {
      yaml.append("""
          topics:
            %s: { partitions: 2 }
          """.formatted(b));
    }
    yaml.append("triggers:\n");
    if (withA) {
      yaml.append("""
            a:
              kafka: { topic: %s, partitions: 2 }
              function: %s
              reply: { topic: %s.replies }
          """.formatted(a, functionOfA, a));
    }
    if (withB) {
      yaml.append("""
            b:
              kafka: { topic: %s, partitions: 2 }
              function: echo
              reply: { topic: %s.replies }
          """.formatted(b, b));
    }
    return yaml.toString();
  }

  private void publishUntilStopped(TestMesh mesh, AtomicBoolean running, Set<String> ackedA, Set<String> ackedB) {
    AtomicInteger sequence = new AtomicInteger();
    while (running.get()) {
      int n = sequence.incrementAndGet();
      String topic = n % 2 == 0 ? a : b;
      String id = topic + "-" + n;
      HttpResponse<String> response = mesh.send(mesh.request("/topics/" + topic)
          .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/reload")
          .header("ce-type", "t").header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(id)));
      if (response.statusCode() == 202) {
        (topic.equals(a) ? ackedA : ackedB).add(id);
      }
    }
  }

  private static void assertEverythingAnswered(String replies, Set<String> acknowledged) {
    Set<String> answered = TestMesh.readEventsWithIds(replies, acknowledged, WAIT).stream()
        .map(CloudEvent::getId).collect(Collectors.toSet());
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(answered);
    assertTrue(lost.isEmpty(), lost.size() + " acknowledged events never answered on " + replies + ": " + lost);
  }

  private static List<String> triggerNames(TestMesh mesh) {
    JsonArray triggers = new JsonObject(mesh.send(mesh.request("/api/triggers").GET()).body()).getJsonArray("triggers");
    return triggers.stream().map(t -> ((JsonObject) t).getString("name")).toList();
  }
}
