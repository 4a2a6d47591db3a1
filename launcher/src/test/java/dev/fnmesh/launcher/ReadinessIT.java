package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaReachability;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /readyz} says whether a process should get traffic: not while Kafka cannot be reached, not once it
 * is stopping; {@code /livez} and {@code /healthz} keep answering 200 meanwhile.
 */
class ReadinessIT {

  private static final Duration CHECK_INTERVAL = Duration.ofMillis(200);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readinessFollowsWhetherKafkaCanBeReached(@TempDir Path dataDir) throws IOException {
    int kafkaPort = HttpServers.freePort();
    Vertx vertx = Vertx.vertx();
    Readiness readiness = readiness(vertx, KafkaSettings.of("127.0.0.1:" + kafkaPort));
    HttpPort port = new HttpPort(vertx, HttpPortSettings.loopback(0), readiness, List.of(), "");
    try (Node node = Node.start("test", vertx, List.of(port.part(), readiness.part()), List.of())) {
      assertProbe(port, "/readyz", 503, "kafka-unreachable");
      assertProbe(port, "/livez", 200, "live");
      assertProbe(port, "/healthz", 200, "ready");

      try (EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(dataDir, kafkaPort))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/readyz").statusCode() == 200);
        assertProbe(port, "/readyz", 200, "ready");
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/readyz").statusCode() == 503);
      assertProbe(port, "/readyz", 503, "kafka-unreachable");
      assertProbe(port, "/livez", 200, "live");
    }
  }

  @Test
  void readinessIsWithdrawnBeforeTheDrainStarts() throws Exception {
    Vertx vertx = Vertx.vertx();
    Readiness readiness = readiness(vertx, KafkaSettings.of(KafkaFixture.bootstrapServers()));
    HttpPort port = new HttpPort(vertx, HttpPortSettings.loopback(0), readiness, List.of(), "");
    CountDownLatch draining = new CountDownLatch(1);
    AtomicReference<Readiness.State> whenTheDrainStarted = new AtomicReference<>();
    Promise<Void> drained = Promise.promise();
    Node.Part triggers = Node.Part.stopping("triggers", () -> {
      whenTheDrainStarted.set(readiness.state());
      draining.countDown();
      return drained.future();
    });
    Node node = Node.start("test", vertx, List.of(port.part(), triggers, readiness.part()), List.of());
    await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/readyz").statusCode() == 200);

    Thread stopping = new Thread(node::close, "stopping");
    stopping.start();
    assertTrue(draining.await(30, TimeUnit.SECONDS), "the drain did not start");

    assertEquals(Readiness.State.STOPPING, whenTheDrainStarted.get());
    assertProbe(port, "/readyz", 503, "stopping");
    assertProbe(port, "/livez", 200, "live");
    assertProbe(port, "/healthz", 200, "ready");
    drained.complete();
    stopping.join(TimeUnit.SECONDS.toMillis(60));
  }

  private static Readiness readiness(Vertx vertx, KafkaSettings kafka) {
    return new Readiness(new KafkaReachability(vertx, kafka, CHECK_INTERVAL, CHECK_TIMEOUT));
  }

  private void assertProbe(HttpPort port, String path, int status, String word) {
    HttpResponse<String> response = get(port, path);
    assertEquals(status, response.statusCode(), path + ": " + response.body());
    assertEquals(word, new JsonObject(response.body()).getString("status"), path);
  }

  private HttpResponse<String> get(HttpPort port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(port.url() + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
