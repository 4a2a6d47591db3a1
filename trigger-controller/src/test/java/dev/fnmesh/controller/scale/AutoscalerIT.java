package dev.fnmesh.controller.scale;

import dev.fnmesh.controller.TestPlans;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.TriggerReplicas;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The autoscaler's loop against a real lag: records on a topic that no consumer reads wake a trigger at
 * zero, and once its group has committed to the end the trigger returns to zero, but not before a whole
 * cooldown without lag.
 */
@ExtendWith(KafkaFixture.class)
class AutoscalerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration COOLDOWN = Duration.ofSeconds(2);
  private static final int RECORDS = 30;

  private final Vertx vertx = Vertx.vertx();
  private final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()));
  private final RecordingReplicas replicas = new RecordingReplicas();
  private Autoscaler autoscaler;
  private String topic;
  private String trigger;

  @BeforeEach
  void topicWithABacklogThatNoConsumerReads() throws Exception {
    topic = KafkaFixture.uniqueTopic("autoscale");
    trigger = "scaled-" + topic;
    KafkaFixture.createTopic(topic, 2);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, null, ("event-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    autoscaler = new Autoscaler(vertx, replicas, new LagMonitor(vertx, admin), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    autoscaler.stop();
    admin.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTriggerAtZeroWithLagIsScaledUpAndReturnsToZeroAWholeCooldownAfterTheLagIsGone() throws Exception {
    MeshPlan plan = TestPlans.plan(vertx, TestPlans.oneTrigger(trigger, topic, 2,
        "{ min: 0, max: 2, lagThreshold: 10, pollInterval: PT0.2S, cooldown: PT2S }"));

    autoscaler.replace(plan);

    await().atMost(WAIT).until(() -> replicas.replicas(trigger) > 0);
    // A lag of 30 at 10 per replica asks for 3, capped to max 2; from zero it wakes at once to what the lag asks.
    assertEquals(2, replicas.asked.get(0).replicas(), replicas.asked.toString());
    await().atMost(WAIT).until(() -> autoscaler.status(trigger).map(s -> s.lag() == RECORDS).orElse(false));

    commitToTheEnd(plan.triggers().get(trigger).settings().groupId());
    long lagGone = System.nanoTime();
    await().atMost(WAIT).until(() -> replicas.replicas(trigger) == 0);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lagGone);

    assertTrue(tookMs >= COOLDOWN.toMillis(), "back to zero " + tookMs + " ms after the lag was gone, cooldown "
        + COOLDOWN.toMillis() + " ms");
    // Up once, then only down: the scale-down window may step through 1 on the way to zero.
    List<Integer> steps = replicas.asked.stream().map(Asked::replicas).toList();
    for (int i = 1; i < steps.size(); i++) {
      assertTrue(steps.get(i) < steps.get(i - 1), "up once, then only down: " + steps);
    }
    String decision = autoscaler.status(trigger).orElseThrow().lastDecision().orElseThrow();
    assertTrue(decision.contains("scaling to zero"), decision);
  }

  @Test
  void aTriggerWhoseLagIsAtItsActivationThresholdStaysAtZero() throws Exception {
    MeshPlan plan = TestPlans.plan(vertx, TestPlans.oneTrigger(trigger, topic, 2,
        "{ min: 0, max: 2, lagThreshold: 10, activationLagThreshold: " + RECORDS + ", pollInterval: PT0.2S }"));

    autoscaler.replace(plan);

    // Measured, and measured again for a while: the lag never wakes it.
    await().atMost(WAIT).until(() -> autoscaler.status(trigger).map(s -> s.lag() == RECORDS).orElse(false));
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> replicas.asked.isEmpty());
  }

  private void commitToTheEnd(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
    for (int partition = 0; partition < 2; partition++) {
      ends.put(new TopicPartition(topic, partition), new OffsetAndMetadata(RECORDS / 2));
    }
    admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
  }

  record Asked(String trigger, int replicas) {}

  /** Runs nothing: remembers the replicas each trigger was asked for, in order. */
  private static final class RecordingReplicas implements TriggerReplicas {
    final List<Asked> asked = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> current = new ConcurrentHashMap<>();

    @Override
    public Future<Void> scale(String trigger, int count) {
      asked.add(new Asked(trigger, count));
      current.put(trigger, count);
      return Future.succeededFuture();
    }

    @Override
    public int replicas(String trigger) {
      return current.getOrDefault(trigger, 0);
    }
  }
}
