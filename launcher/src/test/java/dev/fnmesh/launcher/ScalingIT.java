package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Triggers follow the lag of their consumer group: from zero to the cap under a backlog and back to zero. */
class ScalingIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aBacklogScalesTheTriggerToItsCapDrainsEveryEventAndReturnsToZeroAfterTheCooldown() throws Exception {
    String topic = KafkaFixture.uniqueTopic("scale");
    KafkaFixture.createTopic(topic, 8);
    int backlog = 2000;
    write(topic, backlog, "backlog");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          slow: { java: sleep, config: { ms: 10 } }
        triggers:
          work:
            kafka: { topic: %1$s, partitions: 8 }
            function: slow
            reply: { topic: %1$s.replies }
            scale: { max: 4, lagThreshold: 50, cooldown: PT3S, pollInterval: PT0.2S }
        """.formatted(topic))) {
      AtomicInteger highest = new AtomicInteger();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
        highest.accumulateAndGet(replicas(mesh, "work"), Math::max);
        return highest.get() == 4;
      });
      List<String> expected = java.util.stream.IntStream.range(0, backlog).mapToObj(i -> "backlog-" + i).toList();
      // Rebalances redeliver what was not yet committed, so replies may repeat: count distinct ids.
      Set<String> handled = ids(TestMesh.readEventsWithIds(topic + ".replies", expected, WAIT));
      assertEquals(backlog, handled.size(), "every event of the backlog was handled at least once");
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
        highest.accumulateAndGet(replicas(mesh, "work"), Math::max);
        return replicas(mesh, "work") == 0;
      });
      assertEquals(4, highest.get(), "never above max");

      long published = System.nanoTime();
      write(topic, 1, "wake");
      List<CloudEvent> woken = TestMesh.readEventsWithIds(topic + ".replies", List.of("wake-0"), WAIT);
      assertTrue(ids(woken).contains("wake-0"));
      long wakeMillis = (System.nanoTime() - published) / 1_000_000;
      assertTrue(wakeMillis < 30_000, "a trigger at zero wakes on the first event, took " + wakeMillis + " ms");
      String decision = scaling(mesh, "work").getString("lastDecision");
      assertTrue(decision != null && !decision.isBlank(), "the last decision is shown");
      String metrics = mesh.send(mesh.request("/metrics").GET()).body();
      assertTrue(metrics.contains("# TYPE fnmesh_trigger_lag gauge"), metrics);
      assertTrue(metrics.contains("fnmesh_trigger_replicas{trigger=\"work\"} "), metrics);
      assertTrue(metrics.contains("fnmesh_trigger_desired_replicas{trigger=\"work\"}"), metrics);
      assertTrue(metrics.contains("fnmesh_trigger_events_total{outcome=\"received\",trigger=\"work\"}"), metrics);
    }
  }

  @Test
  void aTriggerWithoutScaleTakesAtMostOneReplicaPerCoreOfTheProcess() throws Exception {
    String topic = KafkaFixture.uniqueTopic("cores");
    KafkaFixture.createTopic(topic, 8);
    int backlog = 2000;
    write(topic, backlog, "backlog");
    int cores = Math.min(8, Runtime.getRuntime().availableProcessors());
    try (TestMesh mesh = TestMesh.start("""
        functions:
          slow: { java: sleep, config: { ms: 5 } }
        triggers:
          work:
            kafka: { topic: %1$s, partitions: 8 }
            function: slow
            reply: { topic: %1$s.replies }
        """.formatted(topic))) {
      AtomicInteger highest = new AtomicInteger();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
        highest.accumulateAndGet(replicas(mesh, "work"), Math::max);
        return highest.get() >= cores;
      });
      List<String> expected = java.util.stream.IntStream.range(0, backlog).mapToObj(i -> "backlog-" + i).toList();
      Set<String> handled = ids(TestMesh.readEventsWithIds(topic + ".replies", expected, WAIT));
      highest.accumulateAndGet(replicas(mesh, "work"), Math::max);

      assertEquals(backlog, handled.size(), "every event of the backlog was handled at least once");
      assertEquals(cores, highest.get(), "a lag asking for 20 replicas got one per core, the partitions shared among them");
    }
  }

  @Test
  void aTriggerWithAMinimumNeverScalesBelowIt() throws Exception {
    String topic = KafkaFixture.uniqueTopic("minimum");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          steady:
            kafka: { topic: %1$s, partitions: 2 }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { min: 1, max: 2, cooldown: PT0.5S, pollInterval: PT0.2S }
        """.formatted(topic))) {
      await().atMost(WAIT).until(() -> replicas(mesh, "steady") == 1);
      write(topic, 5, "e");
      assertEquals(5, TestMesh.readEvents(topic + ".replies", 5, WAIT).size());
      // Well past the cooldown: an idle trigger with min 1 stays at 1.
      AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
      await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> {
        int replicas = replicas(mesh, "steady");
        lowest.accumulateAndGet(replicas, Math::min);
        return replicas == 1;
      });
      assertEquals(1, lowest.get(), "never below the minimum");
    }
  }

  @Test
  void aTransactionalBatchDrainsToZeroLagAndTheTriggerScalesToZero() {
    String topic = KafkaFixture.uniqueTopic("batch-to-zero");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          batch:
            kafka: { topic: %1$s, partitions: 2 }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { cooldown: PT0.5S, pollInterval: PT0.2S }
        """.formatted(topic))) {
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 10; i++) {
        batch.append(i == 0 ? "" : ",").append("""
            {"specversion":"1.0","id":"b-%d","source":"/batch","type":"t","data":{"n":%d}}""".formatted(i, i));
      }
      int status = mesh.send(mesh.request("/topics/" + topic)
          .header("content-type", "application/cloudevents-batch+json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(batch.append("]").toString()))).statusCode();
      assertEquals(202, status);
      assertEquals(10, TestMesh.readEvents(topic + ".replies", 10, WAIT).size());
      // The transaction's commit marker takes an offset of each partition it wrote to, and is no record:
      // the group commits past it, so the lag reaches zero and the idle trigger scales to zero.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(() -> scaling(mesh, "batch").getLong("lag") == 0 && replicas(mesh, "batch") == 0);
    }
  }

  private static void write(String topic, int count, String prefix) throws Exception {
    List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      for (int i = 0; i < count; i++) {
        CloudEvent event = CloudEventBuilder.v1().withId(prefix + "-" + i).withSource(URI.create("/scale"))
            .withType("t").withData("text/plain", new byte[] {'x'}).build();
        sent.add(producer.send(CloudEventRecords.toRecord(topic, event, String.valueOf(i).getBytes())));
      }
    }
    // Every event of the backlog is in Kafka, or the test says so here rather than as a "lost" event later.
    for (java.util.concurrent.Future<?> send : sent) {
      send.get();
    }
  }

  private static int replicas(TestMesh mesh, String trigger) {
    return trigger(mesh, trigger).getInteger("replicas");
  }

  private static JsonObject scaling(TestMesh mesh, String trigger) {
    return trigger(mesh, trigger).getJsonObject("scaling");
  }

  private static JsonObject trigger(TestMesh mesh, String trigger) {
    return new JsonObject(mesh.send(mesh.request("/api/triggers").GET()).body()).getJsonArray("triggers").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals(trigger)).findFirst().orElseThrow();
  }

  private static Set<String> ids(List<CloudEvent> events) {
    return events.stream().map(CloudEvent::getId).collect(Collectors.toCollection(HashSet::new));
  }
}
