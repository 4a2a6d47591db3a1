package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A rebalance storm as a user can cause one: the mesh put again and again through {@code PUT /api/mesh}, a
 * trigger's replicas alternating between one and four, while HTTP clients publish to it; every event acknowledged
 * has a reply afterwards (some more than one: at least once).
 */
class RebalanceStormIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PUTS = 10;
  private final String topic = KafkaFixture.uniqueTopic("storm");

  @Test
  void noAcknowledgedEventIsLostWhileATriggersReplicasAreScaledUpAndDownEverySecond() throws Exception {
    try (TestMesh mesh = TestMesh.start(meshWith(1))) {
      HttpLoad load = HttpLoad.start(URI.create("http://127.0.0.1:" + mesh.httpPort() + "/topics/" + topic), "storm", 3);
      await().atMost(WAIT).until(() -> load.acknowledged() >= 50);
      for (int put = 0; put < PUTS; put++) {
        int acknowledgedBefore = load.acknowledged();
        HttpResponse<String> response = mesh.send(mesh.request("/api/mesh")
            .PUT(HttpRequest.BodyPublishers.ofString(meshWith(put % 2 == 0 ? 4 : 1))));
        assertEquals(200, response.statusCode(), response.body());
        // A second apart, or more when the machine is slower: events flow between two puts.
        await().atMost(WAIT).pollDelay(Duration.ofSeconds(1)).until(() -> load.acknowledged() > acknowledgedBefore);
      }
      List<HttpLoad.Answer> answers = load.stop();

      assertEquals(Map.of(), HttpLoad.otherThanAcceptedOrUnavailable(answers), "answers other than 202 and 503");
      Set<String> acknowledged = HttpLoad.acknowledged(answers);
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(HttpLoad.repliesFor(KafkaFixture.bootstrapServers(), topic + ".replies", acknowledged, WAIT)
          .keySet());
      assertEquals(Set.of(), lost, "acknowledged events without a reply, of " + acknowledged.size());
    }
  }

  private String meshWith(int replicas) {
    return """
        functions:
          echo: { java: echo }
        triggers:
          storm:
            kafka: { topic: %1$s, partitions: 4 }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { min: %2$d, max: %2$d }
        """.formatted(topic, replicas);
  }
}
