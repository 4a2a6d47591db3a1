package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.function.Function;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event being retried when its partition moves to another replica keeps its attempt count: the count
 * travels with the partition's committed offset, so {@code retry: 3} means four attempts in all, wherever
 * they ran, and the dead letter says so.
 */
class RetriesAcrossRebalanceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private TriggerHarness harness;
  private String topic;

  @BeforeEach
  void topics() {
    harness = new TriggerHarness();
    topic = KafkaFixture.uniqueTopic("moved-retries");
    KafkaFixture.createTopic(topic, 2);
    KafkaFixture.createTopic(topic + ".dlq", 1);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void anEventRetriedWhenItsPartitionMovesIsAttemptedRetryPlusOneTimesInAll() throws Exception {
    Map<String, AtomicInteger> first = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> second = new ConcurrentHashMap<>();
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.empty(), "earliest")
        .withDelivery(new DeliverySettings(3, BackoffPolicy.LINEAR, Duration.ofSeconds(3), Optional.empty(),
            Duration.ofSeconds(5), topic + ".dlq", Ordering.ORDERED, 1));
    harness.deploy(settings, failing(first));
    writeTo(0, "on-0");
    writeTo(1, "on-1");
    await().atMost(WAIT).until(() -> count(first, "on-0") >= 2 && count(first, "on-1") >= 2);

    // A second replica joins: the group gives it one of the two partitions, while its event waits for a retry.
    harness.deploy(settings, failing(second));

    List<CloudEvent> letters = TriggerHarness.readIds(topic + ".dlq", java.util.Set.of("on-0", "on-1"), WAIT);
    assertTrue(second.values().stream().anyMatch(n -> n.get() > 0), "no partition moved to the second replica");
    for (String id : List.of("on-0", "on-1")) {
      assertEquals(4, count(first, id) + count(second, id), "attempts of " + id + " first=" + first + " second=" + second);
      CloudEvent letter = letters.stream().filter(event -> event.getId().equals(id)).findFirst().orElseThrow();
      assertEquals("4", String.valueOf(letter.getExtension(DeadLetters.ATTEMPTS)), "fnmeshattempts of " + id);
    }
  }

  private void writeTo(int partition, String id) throws Exception {
    ProducerRecord<byte[], byte[]> record = dev.fnmesh.broker.impl.CloudEventRecords.toRecord(topic,
        TriggerHarness.event(id, "t"), null);
    harness.write(new ProducerRecord<>(topic, partition, null, (byte[]) null, record.value(), record.headers()));
  }

  private static Function failing(Map<String, AtomicInteger> attempts) {
    return (event, ctx) -> {
      attempts.computeIfAbsent(event.getId(), id -> new AtomicInteger()).incrementAndGet();
      return Future.failedFuture(new IllegalStateException("still broken"));
    };
  }

  private static int count(Map<String, AtomicInteger> attempts, String id) {
    AtomicInteger count = attempts.get(id);
    return count == null ? 0 : count.get();
  }
}
