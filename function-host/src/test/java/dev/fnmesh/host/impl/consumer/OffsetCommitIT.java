package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.PublishException;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Offsets are committed only for events whose outcome is durable, in a contiguous prefix per partition. */
class OffsetCommitIT {

  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void unorderedDeliveryCommitsOnlyTheCompletedPrefixSoAGapIsRedeliveredAfterAStop() throws Exception {
    String topic = KafkaFixture.uniqueTopic("unordered");
    String replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(replies, 1);
    KafkaFixture.createTopic(topic + ".dlq", 1);
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest")
        .withDelivery(new DeliverySettings(0, BackoffPolicy.LINEAR, Duration.ofMillis(10), Optional.empty(),
            Duration.ofMinutes(5), topic + ".dlq", Ordering.UNORDERED, 10));
    String group = settings.groupId();
    try (TriggerHarness harness = new TriggerHarness()) {
      for (int i = 0; i < 10; i++) {
        harness.write(topic, TriggerHarness.event("e" + i, "t"));
      }
      // The first replica never finishes e0 but finishes every later event.
      String first = harness.deploy(settings, (event, ctx) -> event.getId().equals("e0")
          ? Promise.<CloudEvent>promise().future() : Future.succeededFuture(event));
      await().atMost(WAIT).until(() -> TriggerHarness.read(replies, 9, Duration.ofSeconds(2)).size() == 9);
      assertTrue(TriggerHarness.committed(group, topic) <= 0, "nothing past the unfinished e0 may be committed");
      harness.undeploy(first);
      assertTrue(TriggerHarness.committed(group, topic) <= 0, "the stop commits only the finished prefix");

      Set<String> secondSaw = ConcurrentHashMap.newKeySet();
      harness.deploy(settings, (event, ctx) -> {
        secondSaw.add(event.getId());
        return Future.succeededFuture(event);
      });
      await().atMost(WAIT).until(() -> secondSaw.contains("e0"));
      await().atMost(WAIT).until(() -> TriggerHarness.committed(group, topic) == 10);
      Set<String> replied = TriggerHarness.read(replies, 19, WAIT).stream().map(CloudEvent::getId).collect(Collectors.toSet());
      assertEquals(10, replied.size(), "every event was answered at least once: " + replied);
    }
  }

  @Test
  void aFailedDeadLetterWriteKeepsTheOffsetUncommittedAndIsRetriedUntilItSucceeds() throws Exception {
    String topic = KafkaFixture.uniqueTopic("dlqfail");
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.empty(), "earliest");
    String deadLetters = settings.delivery().deadLetterTopic();
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(deadLetters, 1);
    AtomicInteger deadLetterWrites = new AtomicInteger();
    Vertx vertx = Vertx.vertx();
    EventPublisher failingTwice = new FailingDeadLetters(EventPublisher.create(vertx,
        KafkaSettings.of(KafkaFixture.bootstrapServers())), deadLetters, 2, deadLetterWrites);
    try (TriggerHarness harness = new TriggerHarness(failingTwice)) {
      harness.deploy(settings, (event, ctx) -> Future.failedFuture(new IllegalStateException("always")));
      harness.write(topic, TriggerHarness.event("x", "t"));

      await().atMost(WAIT).until(() -> deadLetterWrites.get() >= 2);
      assertTrue(TriggerHarness.committed(settings.groupId(), topic) <= 0, "uncommitted while the dead letter is not written");
      assertEquals(List.of("x"), TriggerHarness.read(deadLetters, 1, WAIT).stream().map(CloudEvent::getId).toList());
      await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 1);
      assertEquals(3, deadLetterWrites.get());
    } finally {
      vertx.close();
    }
  }

  /** The real publisher, except that the first writes to the dead-letter topic fail as a broker short of replicas does. */
  private record FailingDeadLetters(EventPublisher real, String deadLetterTopic, int failures, AtomicInteger writes)
      implements EventPublisher {

    @Override
    public Future<Void> publish(String topic, List<CloudEvent> events) {
      return real.publish(topic, events);
    }

    @Override
    public CompletionStage<Void> send(String topic, CloudEvent event, byte[] fallbackKey) {
      if (topic.equals(deadLetterTopic) && writes.incrementAndGet() <= failures) {
        return CompletableFuture.failedFuture(new PublishException(topic,
            new NotEnoughReplicasException("fewer in-sync replicas than required")));
      }
      return real.send(topic, event, fallbackKey);
    }

    @Override
    public CompletionStage<Void> sendRecord(ProducerRecord<byte[], byte[]> record) {
      return real.sendRecord(record);
    }

    @Override
    public Future<Void> prepare(String topic) {
      return real.prepare(topic);
    }

    @Override
    public Future<Void> close() {
      return real.close();
    }
  }
}
