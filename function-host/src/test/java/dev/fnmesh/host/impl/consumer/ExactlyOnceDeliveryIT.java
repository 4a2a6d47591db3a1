package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.Guarantee;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An exactly-once trigger against the real broker: its replies, its dead letters and its offsets are committed
 * together, in transactions, so that a replica started again on the same group writes nothing twice.
 */
class ExactlyOnceDeliveryIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int EVENTS = 100;

  @Test
  void repliesDeadLettersAndOffsetsAreCommittedTogetherAndNothingIsWrittenTwiceByTheNextReplica() throws Exception {
    committedTogetherAndNeverTwice(delivery -> delivery);
  }

  @Test
  void theEventsOfABatchEndInTheSameTransactionsAsSingleEventsDo() throws Exception {
    committedTogetherAndNeverTwice(delivery -> delivery.withBatch(new BatchSettings(16, Duration.ofMillis(100),
        BatchSettings.DEFAULT_MAX_BYTES)));
  }

  private void committedTogetherAndNeverTwice(UnaryOperator<DeliverySettings> deliveryOf) throws Exception {
    String topic = KafkaFixture.uniqueTopic("exactly");
    String replies = topic + ".replies";
    String deadLetters = topic + ".dlq";
    KafkaFixture.createTopic(topic, 2);
    KafkaFixture.createTopic(replies, 2);
    KafkaFixture.createTopic(deadLetters, 2);
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest")
        .withDelivery(deliveryOf.apply(new DeliverySettings(0, DeliverySettings.BackoffPolicy.LINEAR,
            Duration.ofMillis(10), Optional.empty(), Duration.ofSeconds(30), deadLetters,
            DeliverySettings.Ordering.ORDERED, 1, Guarantee.EXACTLY_ONCE)));
    // Every tenth event fails for good and is dead-lettered; the others are echoed.
    dev.fnmesh.function.Function echoOrFail = (event, ctx) -> event.getId().endsWith("7")
        ? Future.failedFuture(new PermanentFailure("no " + event.getId()))
        : Future.<CloudEvent>succeededFuture(event);
    try (TriggerHarness harness = new TriggerHarness()) {
      for (int i = 0; i < EVENTS; i++) {
        harness.write(topic, TriggerHarness.event("e" + i, "t"));
      }
      String first = harness.deploy(settings, echoOrFail);
      await().atMost(WAIT).until(() -> TriggerHarness.committedTotal(settings.groupId(), topic) == EVENTS);
      assertEquals(90, committedIds(replies).size());
      assertEquals(10, committedIds(deadLetters).size());
      harness.undeploy(first);

      // A new replica of the group reads from the committed offsets: only the event written since.
      harness.write(topic, TriggerHarness.event("late", "t"));
      harness.deploy(settings, echoOrFail);
      await().atMost(WAIT).until(() -> TriggerHarness.committedTotal(settings.groupId(), topic) == EVENTS + 1);

      Map<String, Integer> replied = committedIds(replies);
      assertEquals(91, replied.size());
      assertEquals(Map.of(), duplicates(replied));
      assertEquals(1, replied.get("late"));
      assertEquals(Map.of(), duplicates(committedIds(deadLetters)));
    }
  }

  @Test
  void everyReplyOfAnEventIsCommittedWithItsOffsetInOneTransaction() throws Exception {
    String topic = KafkaFixture.uniqueTopic("exactly-fanout");
    String replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 2);
    KafkaFixture.createTopic(replies, 2);
    KafkaFixture.createTopic(topic + ".dlq", 1);
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest")
        .withDelivery(new DeliverySettings(0, DeliverySettings.BackoffPolicy.LINEAR, Duration.ofMillis(10),
            Optional.empty(), Duration.ofSeconds(30), topic + ".dlq", DeliverySettings.Ordering.ORDERED, 1,
            Guarantee.EXACTLY_ONCE));
    try (TriggerHarness harness = new TriggerHarness()) {
      for (int i = 0; i < 20; i++) {
        harness.write(topic, TriggerHarness.event("e" + i, "t"));
      }
      String first = harness.deploy(settings, FanOutDeliveryIT.splitting(3));
      await().atMost(WAIT).until(() -> TriggerHarness.committedTotal(settings.groupId(), topic) == 20);
      Map<String, Integer> replied = committedIds(replies);
      assertEquals(60, replied.size());
      assertEquals(Map.of(), duplicates(replied));
      harness.undeploy(first);

      harness.write(topic, TriggerHarness.event("late", "t"));
      harness.deploy(settings, FanOutDeliveryIT.splitting(3));
      await().atMost(WAIT).until(() -> TriggerHarness.committedTotal(settings.groupId(), topic) == 21);

      replied = committedIds(replies);
      assertEquals(63, replied.size());
      assertEquals(Map.of(), duplicates(replied));
      assertEquals(Map.of("late-0", 1, "late-1", 1, "late-2", 1), Map.of("late-0", replied.get("late-0"),
          "late-1", replied.get("late-1"), "late-2", replied.get("late-2")));
    }
  }

  private static Map<String, Integer> duplicates(Map<String, Integer> counts) {
    Map<String, Integer> twice = new HashMap<>(counts);
    twice.values().removeIf(count -> count == 1);
    return twice;
  }

  /** How often each id is on the topic for a read_committed reader, read to the last stable offset. */
  private static Map<String, Integer> committedIds(String topic) {
    Map<String, Object> config = KafkaFixture.consumerConfig("read-" + System.nanoTime());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<String, Integer> ids = new HashMap<>();
      await().atMost(WAIT).until(() -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          ids.merge(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
      });
      return ids;
    }
  }
}
