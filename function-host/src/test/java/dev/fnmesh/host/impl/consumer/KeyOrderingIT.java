package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ordering: key} on the real broker: keys of a partition overlap, one key never does, all is committed. */
class KeyOrderingIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int KEYS = 12;
  private static final int PER_KEY = 15;

  @Test
  void eventsOfOneKeyRunOneAfterAnotherInOrderWhileDifferentKeysOverlapAndEverythingIsCommitted() throws Exception {
    String topic = KafkaFixture.uniqueTopic("keyorder");
    KafkaFixture.createTopic(topic, 2);
    KafkaFixture.createTopic(topic + ".dlq", 1);
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.empty(), "earliest")
        .withDelivery(new DeliverySettings(0, BackoffPolicy.LINEAR, Duration.ofMillis(10), Optional.empty(),
            Duration.ofMinutes(1), topic + ".dlq", Ordering.KEY, 8));
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (TriggerHarness harness = new TriggerHarness()) {
      List<CloudEvent> events = new ArrayList<>();
      for (int i = 0; i < PER_KEY; i++) {
        for (int k = 0; k < KEYS; k++) {
          events.add(CloudEventBuilder.v1(TriggerHarness.event("k" + k + "-" + i, "t"))
              .withExtension("partitionkey", "k" + k).build());
        }
      }
      harness.write(topic, events.toArray(CloudEvent[]::new));

      harness.deploy(settings, (event, ctx) -> {
        String key = (String) event.getExtension("partitionkey");
        // Start: no other event of this key may be running.
        if (running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
          overlaps.add(event.getId());
        }
        most.accumulateAndGet(now.incrementAndGet(), Math::max);
        seen.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
            .add(Integer.parseInt(event.getId().substring(event.getId().indexOf('-') + 1)));
        Promise<CloudEvent> end = Promise.promise();
        ctx.vertx().setTimer(20, id -> {
          now.decrementAndGet();
          running.get(key).decrementAndGet();
          end.complete(null);
        });
        return end.future();
      });

      await().atMost(WAIT).until(() -> TriggerHarness.committedTotal(settings.groupId(), topic) == KEYS * PER_KEY);
      assertEquals(List.of(), overlaps, "events that started while another of their key was running");
      List<Integer> inOrder = java.util.stream.IntStream.range(0, PER_KEY).boxed().toList();
      for (int k = 0; k < KEYS; k++) {
        assertEquals(inOrder, seen.get("k" + k), "key k" + k + " in the order written");
      }
      assertTrue(most.get() > 2, "different keys ran at once: at most " + most.get() + " at a time");
    }
  }
}
