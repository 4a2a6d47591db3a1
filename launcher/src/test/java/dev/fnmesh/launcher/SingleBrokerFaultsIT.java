package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.fixture.KafkaClusterFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The only broker of a mesh stopped for a few seconds under HTTP load and started again: requests wait for it at
 * most the producer's delivery timeout (20 s) and are then answered 503, none hangs, 202s come back once it
 * returns, and every event acknowledged has a reply afterwards.
 */
class SingleBrokerFaultsIT {

  @RegisterExtension
  static final KafkaClusterFixture BROKER = KafkaClusterFixture.withBrokers(1);

  private static final Duration WAIT = Duration.ofSeconds(90);
  // The producer's delivery timeout, and some room for a busy machine: no request may wait longer.
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(30);
  private static Mesh mesh;

  @BeforeAll
  static void startMesh() throws Exception {
    Path file = Files.writeString(Files.createTempFile("mesh", ".yaml"), """
        functions:
          echo: { java: echo }
        triggers:
          steady:
            kafka: { topic: steady.in, partitions: 4 }
            function: echo
            reply: { topic: steady.replies }
        """);
    mesh = Mesh.start(new MeshOptions(file, HttpPortSettings.loopback(0), 0,
        Optional.of(KafkaSettings.of(BROKER.bootstrapServers())), Files.createTempDirectory("fnmesh-data"),
        Path.of("../examples/schemas"), Path.of("../functions"), IngressSettings.defaults(), Duration.ZERO,
        Optional.empty(), false));
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void whileTheOnlyBrokerIsAwayRequestsWaitOrAre503AndAfterItReturnsTheyAre202AndNothingAcknowledgedIsLost()
      throws Exception {
    HttpLoad load = HttpLoad.start(URI.create("http://127.0.0.1:" + mesh.httpPort() + "/topics/steady.in"), "single", 3);
    await("100 acknowledged before the fault", () -> load.acknowledged() >= 100);
    BROKER.stopBroker(1);
    try {
      // Away for as long as it takes clients to feel it: a request waiting on Kafka for 3 s.
      await("a request waiting 3 s for the broker", () -> load.longestWaitNow().toSeconds() >= 3);
    } finally {
      BROKER.startBroker(1);
    }
    int atStart = load.acknowledged();
    await("100 acknowledged after the broker is back", () -> load.acknowledged() >= atStart + 100);
    List<HttpLoad.Answer> answers = load.stop();

    assertEquals(Map.of(), HttpLoad.otherThanAcceptedOrUnavailable(answers), "answers other than 202 and 503");
    long slowest = answers.stream().mapToLong(HttpLoad.Answer::tookNanos).max().orElse(0);
    assertTrue(slowest < ANSWER_BOUND.toNanos(), "a request waited " + Duration.ofNanos(slowest) + " for its answer");
    Set<String> acknowledged = HttpLoad.acknowledged(answers);
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(HttpLoad.repliesFor(BROKER.bootstrapServers(), "steady.replies", acknowledged, WAIT).keySet());
    assertEquals(Set.of(), lost, "acknowledged events without a reply, of " + acknowledged.size());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
