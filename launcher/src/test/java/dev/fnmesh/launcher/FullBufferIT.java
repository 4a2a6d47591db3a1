package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that takes writes slower than they come fills the producer's buffer; the ingress then refuses at
 * once with 503 and {@code Retry-After} instead of making an event loop wait for space, and the probes keep
 * answering meanwhile.
 */
@ExtendWith(KafkaFixture.class)
class FullBufferIT {

  /**
   * Well under the 4 s request timeout and 5 s delivery timeout a blocked event loop would show, and loose
   * enough for a busy 2-core machine: the bound tells waiting on Kafka apart from not waiting, it times nothing.
   */
  private static final Duration AT_ONCE = Duration.ofMillis(2_500);
  private static final int BURST = 40;
  private static final int ROUNDS = 5;

  private final HttpClient http = HttpClient.newHttpClient();
  private final String clientId = "full-buffer-" + UUID.randomUUID();
  private String topic;
  private TestMesh mesh;

  @BeforeEach
  void aBrokerThatThrottlesTheMeshsProducers() throws Exception {
    // A quota of 1 KiB/s on the producers' client id: the broker answers each write with a throttle time,
    // during which the producer sends nothing, so a burst of 4 KiB events outgrows a 64 KiB buffer; what
    // waits in it fails after the 5 s delivery timeout.
    alterQuota(1024.0);
    topic = KafkaFixture.uniqueTopic("throttled");
    mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        topics:
          %s: { partitions: 1 }
        """.formatted(topic), new KafkaSettings(KafkaFixture.bootstrapServers(), Map.of(
            "producer.client.id", clientId, "producer.buffer.memory", "65536", "producer.batch.size", "16384",
            "producer.request.timeout.ms", "4000", "producer.delivery.timeout.ms", "5000")));
  }

  @AfterEach
  void stop() throws Exception {
    mesh.close();
    alterQuota(null);
  }

  @Test
  void aFullBufferIsAnsweredAtOnceWithServiceUnavailableWhileTheProbesKeepAnswering() throws Exception {
    assertEquals(202, post("first").get(30, TimeUnit.SECONDS).response().statusCode());
    Optional<Timed> refused = Optional.empty();
    for (int round = 0; round < ROUNDS && refused.isEmpty(); round++) {
      List<CompletableFuture<Timed>> posts = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        posts.add(post(round + "-" + i));
      }
      List<CompletableFuture<Timed>> probes = List.of(timed(mesh.request("/livez").GET()),
          timed(mesh.request("/healthz").GET()), timed(mesh.request("/readyz").GET()));

      for (CompletableFuture<Timed> probe : probes) {
        Timed answer = probe.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.response().statusCode(), answer.response().body());
        assertTrue(answer.elapsed().compareTo(AT_ONCE) < 0, "a probe took " + answer.elapsed());
      }
      for (CompletableFuture<Timed> post : posts) {
        Timed answer = post.get(60, TimeUnit.SECONDS);
        int status = answer.response().statusCode();
        // 202 once the broker took it; 503 at once for a full buffer, or once the delivery timeout passed.
        assertTrue(status == 202 || status == 503, answer.response().body());
        if (status == 503 && answer.response().body().contains("slower than they arrive") && refused.isEmpty()) {
          refused = Optional.of(answer);
        }
      }
    }

    Timed busy = refused.orElseThrow(() -> new AssertionError("no request was refused in " + ROUNDS + " bursts"));
    assertTrue(busy.elapsed().compareTo(AT_ONCE) < 0, "the refusal took " + busy.elapsed());
    assertEquals("1", busy.response().headers().firstValue("retry-after").orElse(null));
    JsonObject problem = new JsonObject(busy.response().body());
    assertEquals("kafka", problem.getString("field"));
    assertTrue(problem.getString("message").contains("slower than they arrive"), problem.encode());
  }

  private CompletableFuture<Timed> post(String id) {
    return timed(mesh.request("/topics/" + topic).header("ce-specversion", "1.0").header("ce-id", id)
        .header("ce-source", "/full-buffer").header("ce-type", "dev.fnmesh.test").header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))));
  }

  private record Timed(HttpResponse<String> response, Duration elapsed) {}

  private CompletableFuture<Timed> timed(HttpRequest.Builder request) {
    long start = System.nanoTime();
    return http.sendAsync(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Timed(response, Duration.ofNanos(System.nanoTime() - start)));
  }

  /** @param bytesPerSecond the producers' quota, or null to remove it */
  private void alterQuota(Double bytesPerSecond) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()))) {
      admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
          new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)),
          List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))).all().get(30, TimeUnit.SECONDS);
    }
  }
}
