package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import dev.fnmesh.host.EventFilter;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trigger's delivery policy against the real broker: retries and backoff, dead letters, timeouts, filters. */
class DeliveryIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private TriggerHarness harness;
  private String topic;
  private String deadLetters;
  private String replies;

  @BeforeEach
  void topics() {
    harness = new TriggerHarness();
    topic = KafkaFixture.uniqueTopic("delivery");
    deadLetters = topic + ".dlq";
    replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(deadLetters, 1);
    KafkaFixture.createTopic(replies, 1);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void exponentialBackoffDoublesTheDelayBeforeEachRetry() throws Exception {
    List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    harness.deploy(settings(delivery(3, BackoffPolicy.EXPONENTIAL, Duration.ofMillis(100))), failingUntilAttempt(4, attemptTimes));
    harness.write(topic, TriggerHarness.event("e1", "t"));

    await().atMost(WAIT).until(() -> attemptTimes.size() == 4);
    assertDelays(attemptTimes, 200, 400, 800);
    assertEquals(List.of("e1"), ids(TriggerHarness.read(replies, 1, WAIT)));
  }

  @Test
  void linearBackoffGrowsTheDelayByTheBaseDelayBeforeEachRetry() throws Exception {
    List<Long> attemptTimes = new CopyOnWriteArrayList<>();
    harness.deploy(settings(delivery(3, BackoffPolicy.LINEAR, Duration.ofMillis(150))), failingUntilAttempt(4, attemptTimes));
    harness.write(topic, TriggerHarness.event("e1", "t"));

    await().atMost(WAIT).until(() -> attemptTimes.size() == 4);
    assertDelays(attemptTimes, 150, 300, 450);
  }

  @Test
  void aPoisonEventGoesToTheDeadLetterTopicWithWhyWhileLaterEventsKeepFlowing() throws Exception {
    Function rejectsPoison = (event, ctx) -> event.getType().equals("poison")
        ? Future.failedFuture(new IllegalStateException("cannot digest " + event.getId()))
        : Future.succeededFuture(event);
    harness.deploy(settings(delivery(2, BackoffPolicy.LINEAR, Duration.ofMillis(10))), rejectsPoison);
    harness.write(topic, TriggerHarness.event("a", "ok"), TriggerHarness.event("p", "poison"),
        TriggerHarness.event("b", "ok"), TriggerHarness.event("c", "ok"));

    assertEquals(List.of("a", "b", "c"), ids(TriggerHarness.read(replies, 3, WAIT)));
    CloudEvent letter = TriggerHarness.read(deadLetters, 1, WAIT).get(0);
    assertEquals("p", letter.getId());
    assertEquals("poison", letter.getType());
    assertEquals("function-failed", letter.getExtension(DeadLetters.ERROR_CODE));
    assertEquals("cannot digest p", letter.getExtension(DeadLetters.ERROR));
    assertEquals("fn", letter.getExtension(DeadLetters.FUNCTION));
    // Binary mode carries every extension as text.
    assertEquals("3", String.valueOf(letter.getExtension(DeadLetters.ATTEMPTS)));
    assertEquals("p", new String(letter.getData().toBytes()));
    await().atMost(WAIT).until(() -> TriggerHarness.committed("fnmesh." + topic, topic) == 4);
  }

  @Test
  void aPermanentFailureIsNotRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    harness.deploy(settings(delivery(5, BackoffPolicy.LINEAR, Duration.ofMillis(10))), (event, ctx) -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new PermanentFailure("never valid"));
    });
    harness.write(topic, TriggerHarness.event("x", "t"));

    CloudEvent letter = TriggerHarness.read(deadLetters, 1, WAIT).get(0);
    assertEquals("permanent-failure", letter.getExtension(DeadLetters.ERROR_CODE));
    assertEquals(1, attempts.get());
  }

  @Test
  void aFunctionThatHangsIsCutOffByTheTimeout() throws Exception {
    DeliverySettings timeoutAfter200ms = new DeliverySettings(0, BackoffPolicy.LINEAR, Duration.ofMillis(10),
        Optional.empty(), Duration.ofMillis(200), deadLetters, Ordering.ORDERED, 1);
    harness.deploy(settings(timeoutAfter200ms), (event, ctx) -> event.getId().equals("hang")
        ? Promise.<CloudEvent>promise().future() : Future.succeededFuture(event));
    harness.write(topic, TriggerHarness.event("hang", "t"), TriggerHarness.event("next", "t"));

    assertEquals("timeout", TriggerHarness.read(deadLetters, 1, WAIT).get(0).getExtension(DeadLetters.ERROR_CODE));
    assertEquals(List.of("next"), ids(TriggerHarness.read(replies, 1, WAIT)));
  }

  @Test
  void filteredOutEventsAreCommittedAndCountedButNeverInvoked() throws Exception {
    Set<String> invoked = ConcurrentHashMap.newKeySet();
    EventFilter onlyOrders = EventFilter.compile(new FilterSpec.Prefix(Map.of("type", "com.example.order.")));
    harness.deploy(settings(delivery(0, BackoffPolicy.LINEAR, Duration.ofMillis(10))).withFilter(onlyOrders),
        (event, ctx) -> {
          invoked.add(event.getId());
          return Future.succeededFuture(event);
        });
    harness.write(topic, TriggerHarness.event("o1", "com.example.order.created"), TriggerHarness.event("u1", "com.example.user"),
        TriggerHarness.event("o2", "com.example.order.paid"));

    await().atMost(WAIT).until(() -> TriggerHarness.committed("fnmesh." + topic, topic) == 3);
    assertEquals(Set.of("o1", "o2"), invoked);
    assertEquals(1, harness.stats.snapshot().filtered());
  }

  @Test
  void anEventWithInvalidDataGoesToTheDeadLetterTopicWithoutAnAttempt() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TriggerSettings checked = settings(delivery(3, BackoffPolicy.LINEAR, Duration.ofMillis(10)))
        .withDataCheck(event -> event.getId().equals("bad") ? Optional.of("amount: must be a number") : Optional.empty());
    harness.deploy(checked, (event, ctx) -> {
      attempts.incrementAndGet();
      return Future.succeededFuture(event);
    });
    harness.write(topic, TriggerHarness.event("bad", "t"), TriggerHarness.event("good", "t"));

    CloudEvent letter = TriggerHarness.read(deadLetters, 1, WAIT).get(0);
    assertEquals("invalid-data", letter.getExtension(DeadLetters.ERROR_CODE));
    assertEquals("amount: must be a number", letter.getExtension(DeadLetters.ERROR));
    assertEquals(List.of("good"), ids(TriggerHarness.read(replies, 1, WAIT)));
    assertEquals(1, attempts.get());
  }

  private TriggerSettings settings(DeliverySettings delivery) {
    return TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest").withDelivery(delivery);
  }

  private DeliverySettings delivery(int retry, BackoffPolicy policy, Duration delay) {
    return new DeliverySettings(retry, policy, delay, Optional.empty(), Duration.ofSeconds(5), deadLetters,
        Ordering.ORDERED, 1);
  }

  private static Function failingUntilAttempt(int succeedingAttempt, List<Long> attemptTimes) {
    return (event, ctx) -> {
      attemptTimes.add(System.nanoTime());
      return attemptTimes.size() < succeedingAttempt
          ? Future.failedFuture(new IllegalStateException("attempt " + attemptTimes.size() + " fails"))
          : Future.succeededFuture(event);
    };
  }

  // Timers fire no earlier than asked; on a busy machine they may fire later, so only an upper slack is allowed.
  private static void assertDelays(List<Long> attemptTimes, long... expectedMillis) {
    for (int i = 0; i < expectedMillis.length; i++) {
      long actual = (attemptTimes.get(i + 1) - attemptTimes.get(i)) / 1_000_000;
      assertTrue(actual >= expectedMillis[i] - 5 && actual < expectedMillis[i] + 400,
          "delay before retry " + (i + 1) + " was " + actual + " ms, expected about " + expectedMillis[i] + " ms");
    }
  }

  private static List<String> ids(List<CloudEvent> events) {
    return events.stream().map(CloudEvent::getId).toList();
  }
}
