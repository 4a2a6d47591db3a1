package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two whole meshes run the same cron trigger against one Kafka: every scheduled second fires exactly once. */
class CronAcrossMeshesIT {

  @Test
  void twoMeshesSharingOneKafkaFireEachTickOnce() throws Exception {
    String topic = KafkaFixture.uniqueTopic("tick");
    String mesh = """
        functions:
          echo: { java: echo }
        triggers:
          every-second:
            cron: { schedule: "@every 1s" }
            topic: %s
            function: echo
        """.formatted(topic);
    try (TestMesh first = TestMesh.start(mesh); TestMesh second = TestMesh.start(mesh)) {
      List<CloudEvent> ticks = TestMesh.readEvents(topic, 6, Duration.ofSeconds(60));
      // Let a few more seconds pass with both meshes running, then read everything that was written.
      TestMesh.readEvents(topic, ticks.size() + 3, Duration.ofSeconds(30));
      List<CloudEvent> all = TestMesh.readEvents(topic, Integer.MAX_VALUE, Duration.ofSeconds(2));

      Set<String> ids = all.stream().map(CloudEvent::getId).collect(Collectors.toSet());
      assertEquals(all.size(), ids.size(), "a tick fired twice: " + all.stream().map(CloudEvent::getId).toList());
      TreeSet<Instant> instants = all.stream().map(e -> e.getTime().toInstant()).collect(Collectors.toCollection(TreeSet::new));
      long seconds = Duration.between(instants.first(), instants.last()).toSeconds() + 1;
      assertTrue(all.size() >= 6, "ticks: " + all.size());
      assertEquals(seconds, all.size(), "one tick per second from " + instants.first() + " to " + instants.last());
    }
  }
}
