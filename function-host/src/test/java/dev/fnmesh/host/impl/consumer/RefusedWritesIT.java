package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes Kafka refuses for good: a dead letter too large for its topic is written without its data; a
 * reply too large stops its partition, visibly, until the topic takes it.
 */
class RefusedWritesIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  // Topics of these tests take records of at most 4 KiB; the events carry 8 KB.
  private static final String SMALL_LIMIT = "4096";
  private static final int BIG = 8000;

  private final TriggerHarness harness = new TriggerHarness();

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void aDeadLetterTooLargeForItsTopicIsWrittenWithoutItsDataAndThePartitionMovesOn() throws Exception {
    String topic = KafkaFixture.uniqueTopic("bigletter");
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.empty(), "earliest");
    String deadLetters = settings.delivery().deadLetterTopic();
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(deadLetters, 1);
    TriggerHarness.setTopicConfig(deadLetters, "max.message.bytes", SMALL_LIMIT);
    harness.write(topic, bigEvent("big"));
    byte[] garbage = new byte[BIG];
    Arrays.fill(garbage, (byte) 0xff);
    RecordMetadata notAnEvent = harness.write(new ProducerRecord<>(topic, 0, bytes("k"), garbage));
    harness.deploy(settings, (event, ctx) -> Future.failedFuture(new IllegalStateException("cannot digest")));

    List<ConsumerRecord<byte[], byte[]>> letters = TriggerHarness.readRecords(deadLetters, 2, WAIT);
    assertEquals(2, letters.size());
    ConsumerRecord<byte[], byte[]> event = letters.get(0);
    assertEquals("big", header(event, "ce_id"));
    assertEquals("function-failed", header(event, "ce_" + DeadLetters.ERROR_CODE));
    assertEquals("cannot digest", header(event, "ce_" + DeadLetters.ERROR));
    assertEquals(String.valueOf(BIG), header(event, "ce_" + DeadLetters.TRUNCATED));
    assertEquals(topic, header(event, "ce_" + DeadLetters.ORIGIN_TOPIC));
    assertEquals("0", header(event, "ce_" + DeadLetters.ORIGIN_PARTITION));
    assertEquals("0", header(event, "ce_" + DeadLetters.ORIGIN_OFFSET));
    assertEquals("text/plain", header(event, "content-type"));
    assertTrue(new String(event.value(), StandardCharsets.UTF_8).contains(BIG + " bytes"), "the note names the size");

    ConsumerRecord<byte[], byte[]> record = letters.get(1);
    assertEquals("not-a-cloudevent", header(record, DeadLetters.ERROR_CODE_HEADER));
    assertEquals(String.valueOf(BIG), header(record, DeadLetters.TRUNCATED_HEADER));
    assertEquals(topic, header(record, DeadLetters.ORIGIN_TOPIC_HEADER));
    assertEquals(String.valueOf(notAnEvent.offset()), header(record, "fnmesh_originoffset"));
    assertTrue(new String(record.value(), StandardCharsets.UTF_8).contains(topic + "/0/" + notAnEvent.offset()),
        "the note says where the original is");
    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 2);
  }

  @Test
  void aReplyTooLargeStallsItsPartitionVisiblyUntilTheTopicTakesItThenThePartitionResumes() throws Exception {
    String topic = KafkaFixture.uniqueTopic("bigreply");
    String replies = topic + ".replies";
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest");
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(replies, 1);
    KafkaFixture.createTopic(settings.delivery().deadLetterTopic(), 1);
    TriggerHarness.setTopicConfig(replies, "max.message.bytes", SMALL_LIMIT);
    harness.write(topic, TriggerHarness.event("before", "t"), bigEvent("big"));
    Set<String> invoked = ConcurrentHashMap.newKeySet();
    harness.deploy(settings, (event, ctx) -> {
      invoked.add(event.getId());
      return Future.succeededFuture(event);
    });

    await().atMost(WAIT).until(() -> harness.health.problem().isPresent());
    TriggerHealth.Problem stalled = harness.health.problem().orElseThrow();
    assertEquals(TriggerHealth.STALLED, stalled.state());
    assertTrue(stalled.reason().contains("partition " + topic + "-0 stalled at offset 1")
        && stalled.reason().contains("reply to topic '" + replies + "' refused: RecordTooLargeException"), stalled.reason());
    harness.write(topic, TriggerHarness.event("after", "t"));
    // Committed up to the stalled reply, and no further while it stalls (the next step needs the reply written).
    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 1);
    assertFalse(invoked.contains("after"), "a stalled partition hands out no further event");

    TriggerHarness.setTopicConfig(replies, "max.message.bytes", String.valueOf(1024 * 1024));

    Set<String> replied = TriggerHarness.readIds(replies, Set.of("before", "big", "after"), WAIT).stream()
        .map(CloudEvent::getId).collect(Collectors.toSet());
    assertEquals(Set.of("before", "big", "after"), replied);
    await().atMost(WAIT).until(() -> harness.health.problem().isEmpty());
    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 3);
  }

  private static CloudEvent bigEvent(String id) {
    byte[] data = new byte[BIG];
    Arrays.fill(data, (byte) 'x');
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType("t")
        .withData("text/plain", data).build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
