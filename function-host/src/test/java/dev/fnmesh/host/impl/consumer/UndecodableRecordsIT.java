package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records that are no CloudEvent, written by any Kafka client: each goes to the dead-letter topic as it
 * is, and every partition moves on to the events behind it.
 */
class UndecodableRecordsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PARTITIONS = 4;
  private static final int GOOD_EVENTS = 40;

  private final TriggerHarness harness = new TriggerHarness();

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void recordsThatAreNoCloudEventAreDeadLetteredAsTheyAreAndEveryPartitionMovesOn() throws Exception {
    String topic = KafkaFixture.uniqueTopic("undecodable");
    String replies = topic + ".replies";
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest");
    String deadLetters = settings.delivery().deadLetterTopic();
    KafkaFixture.createTopic(topic, PARTITIONS);
    KafkaFixture.createTopic(replies, PARTITIONS);
    KafkaFixture.createTopic(deadLetters, 1);

    // Bad records first on every partition, so that each partition's good events sit behind one.
    Map<String, ProducerRecord<byte[], byte[]>> badByOrigin = new HashMap<>();
    for (ProducerRecord<byte[], byte[]> bad : badRecords(topic)) {
      RecordMetadata written = harness.write(bad);
      badByOrigin.put(topic + "/" + written.partition() + "/" + written.offset(), bad);
    }
    Set<String> goodIds = IntStream.range(0, GOOD_EVENTS).mapToObj(i -> "good-" + i).collect(Collectors.toSet());
    for (int i = 0; i < GOOD_EVENTS; i++) {
      ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord(topic, TriggerHarness.event("good-" + i, "t"), null);
      harness.write(new ProducerRecord<>(topic, i % PARTITIONS, record.key(), record.value(), record.headers()));
    }
    // Deployed after the writes, so that one poll returns bad and good records of every partition at once.
    harness.deploy(settings, (event, ctx) -> Future.succeededFuture(event));

    Set<String> replied = TriggerHarness.readIds(replies, goodIds, WAIT).stream().map(CloudEvent::getId)
        .collect(Collectors.toSet());
    assertEquals(goodIds, replied, "every good event behind a bad record is answered");

    List<ConsumerRecord<byte[], byte[]>> letters = TriggerHarness.readRecords(deadLetters, badByOrigin.size(), WAIT);
    assertEquals(badByOrigin.size(), letters.size(), "one dead letter per bad record");
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      String origin = header(letter, DeadLetters.ORIGIN_TOPIC_HEADER) + "/" + header(letter, "fnmesh_originpartition")
          + "/" + header(letter, "fnmesh_originoffset");
      ProducerRecord<byte[], byte[]> bad = badByOrigin.get(origin);
      assertNotNull(bad, "a dead letter for a record that was written: " + origin);
      assertArrayEquals(bad.key(), letter.key(), origin);
      assertArrayEquals(bad.value(), letter.value(), origin);
      List<Header> written = List.of(bad.headers().toArray());
      assertEquals(written, List.of(letter.headers().toArray()).subList(0, written.size()),
          "the record's own headers come first, unchanged: " + origin);
      assertEquals("not-a-cloudevent", header(letter, DeadLetters.ERROR_CODE_HEADER), origin);
      assertEquals(topic, header(letter, "fnmesh_trigger"));
      assertTrue(!header(letter, "fnmesh_error").isBlank(), "says why: " + origin);
    }
    long total = badByOrigin.size() + GOOD_EVENTS;
    await().atMost(WAIT).until(() -> TriggerHarness.committedTotal(settings.groupId(), topic) == total);
    assertEquals(badByOrigin.size(), harness.stats.snapshot().deadLettered());
  }

  /** On every partition a structured record cut off mid-JSON, plus one more kind of bad record per partition. */
  private static List<ProducerRecord<byte[], byte[]>> badRecords(String topic) {
    List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      bad.add(record(topic, partition, "cut-" + partition,
          "{\"specversion\":\"1.0\",\"id\":\"cut-" + partition + "\",\"source\":\"/tests\",\"type\":\"t\",\"data\":{\"n\":",
          new RecordHeader("content-type", bytes("application/cloudevents+json"))));
    }
    bad.add(record(topic, 0, "old", "hello", attribute("specversion", "0.9"), attribute("id", "old-1"),
        attribute("source", "/tests"), attribute("type", "t")));
    byte[] garbage = new byte[512];
    new Random(20_251_111).nextBytes(garbage);
    bad.add(new ProducerRecord<>(topic, 1, null, garbage));
    bad.add(record(topic, 2, "no-id", "hello", attribute("specversion", "1.0"), attribute("source", "/tests"),
        attribute("type", "t")));
    bad.add(record(topic, 3, "v2", "{\"specversion\":\"2.0\",\"id\":\"v2\",\"source\":\"/tests\",\"type\":\"t\"}",
        new RecordHeader("content-type", bytes("application/cloudevents+json"))));
    return bad;
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, String value,
      Header... headers) {
    return new ProducerRecord<>(topic, partition, bytes(key), bytes(value), List.of(headers));
  }

  private static Header attribute(String name, String value) {
    return new RecordHeader("ce_" + name, bytes(value));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
