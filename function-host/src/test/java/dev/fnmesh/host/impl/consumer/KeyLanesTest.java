package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Per-key lanes of one partition: one record of a key out at a time, keys side by side, lowest offset first. */
class KeyLanesTest {

  private final KeyLanes lanes = new KeyLanes(OrderingKeys::of);

  @Test
  void recordsOfOneKeyGoOutOneAfterAnotherInOffsetOrder() {
    lanes.add(List.of(record(0, "a"), record(1, "a"), record(2, "a")));

    ConsumerRecord<byte[], byte[]> first = lanes.next();
    assertEquals(0, first.offset());
    assertFalse(lanes.hasNext(), "offset 1 waits while offset 0 of its key is out");
    lanes.done(first);
    ConsumerRecord<byte[], byte[]> second = lanes.next();
    assertEquals(1, second.offset());
    assertNull(lanes.next());
    lanes.done(second);
    assertEquals(2, lanes.next().offset());
  }

  @Test
  void recordsOfDifferentKeysGoOutTogetherLowestOffsetFirst() {
    lanes.add(List.of(record(0, "a"), record(1, "b"), record(2, "a"), record(3, "c"), record(4, "b")));

    assertEquals(List.of(0L, 1L, 3L), drainOffsets(), "one record per key, the heads in offset order");
  }

  @Test
  void aRecordOutHoldsBackOnlyTheLaterRecordsOfItsKey() {
    lanes.add(List.of(record(0, "a"), record(1, "b"), record(2, "a"), record(3, "b")));
    ConsumerRecord<byte[], byte[]> retrying = lanes.next();
    ConsumerRecord<byte[], byte[]> b1 = lanes.next();

    // Offset 0 stays out through its retries; key b moves on meanwhile.
    lanes.done(b1);
    ConsumerRecord<byte[], byte[]> b3 = lanes.next();
    assertEquals(3, b3.offset());
    lanes.done(b3);
    assertFalse(lanes.hasNext(), "offset 2 waits for offset 0 of key a, whatever b does");

    lanes.done(retrying);
    assertEquals(2, lanes.next().offset());
  }

  @Test
  void aRecordReadyAgainGoesBeforeLaterHeadsOfOtherKeys() {
    lanes.add(List.of(record(0, "a"), record(1, "a"), record(2, "b"), record(3, "c")));
    ConsumerRecord<byte[], byte[]> a0 = lanes.next();
    lanes.done(a0);

    assertEquals(List.of(1L, 2L, 3L), drainOffsets(), "offset 1 of key a goes first so the committable prefix grows");
  }

  @Test
  void recordsWithNeitherAPartitionKeyNorARecordKeyShareOneLane() {
    lanes.add(List.of(record(0, null), record(1, null), record(2, "a")));

    assertEquals(List.of(0L, 2L), drainOffsets());
  }

  @Test
  void thePartitionKeyExtensionOrdersBeforeTheRecordKey() {
    ConsumerRecord<byte[], byte[]> keyedX = record(0, "x");
    keyedX.headers().add("ce_partitionkey", "a".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> keyedY = record(1, "y");
    keyedY.headers().add("ce_partitionkey", "a".getBytes(StandardCharsets.UTF_8));
    lanes.add(List.of(keyedX, keyedY, record(2, "x")));

    assertEquals(List.of(0L, 2L), drainOffsets(), "offsets 0 and 1 share the partition key a; offset 2 has key x");
  }

  @Test
  void aStructuredRecordIsOrderedByThePartitionKeyInItsValue() {
    lanes.add(List.of(structured(0, "a"), structured(1, "a"), structured(2, "b")));

    assertEquals(List.of(0L, 2L), drainOffsets());
  }

  @Test
  void aLaneIsDroppedOnceEmptySoMemoryFollowsTheRecordsWaiting() {
    lanes.add(List.of(record(0, "a"), record(1, "b")));
    lanes.done(lanes.next());
    lanes.done(lanes.next());

    assertEquals(0, lanes.keys());
    assertFalse(lanes.hasNext());
  }

  @Test
  void aRecordDoneAfterAClearIsIgnored() {
    lanes.add(List.of(record(0, "a"), record(1, "a")));
    ConsumerRecord<byte[], byte[]> out = lanes.next();
    lanes.clear();
    lanes.done(out);

    assertFalse(lanes.hasNext(), "the dropped offset 1 is the next owner's");
    lanes.add(List.of(record(1, "a")));
    assertEquals(1, lanes.next().offset(), "a fresh fetch of key a is not held back by the old delivery");
  }

  @Test
  void theCommittedPrefixNeverSkipsARecordOfAKeyStillWaiting() {
    PartitionOffsets offsets = new PartitionOffsets();
    List<ConsumerRecord<byte[], byte[]>> records = List.of(record(0, "a"), record(1, "a"), record(2, "b"), record(3, "c"));
    records.forEach(record -> offsets.track(record.offset()));
    lanes.add(records);
    ConsumerRecord<byte[], byte[]> a0 = lanes.next();
    List<ConsumerRecord<byte[], byte[]>> others = List.of(lanes.next(), lanes.next());
    others.forEach(record -> {
      offsets.finish(record.offset());
      lanes.done(record);
    });
    assertEquals(-1, offsets.advance(), "offsets 2 and 3 finished, but 0 and 1 of key a did not");

    offsets.finish(a0.offset());
    lanes.done(a0);
    assertEquals(1, offsets.advance(), "offset 1 still waits behind offset 0 of its key");
    ConsumerRecord<byte[], byte[]> a1 = lanes.next();
    offsets.finish(a1.offset());
    lanes.done(a1);
    assertEquals(4, offsets.advance());
  }

  private List<Long> drainOffsets() {
    List<Long> out = new ArrayList<>();
    while (lanes.hasNext()) {
      out.add(lanes.next().offset());
    }
    return out;
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key) {
    return new ConsumerRecord<>("orders", 0, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        ("e" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static ConsumerRecord<byte[], byte[]> structured(long offset, String partitionKey) {
    String value = """
        {"specversion":"1.0","id":"e%d","source":"/tests","type":"t","partitionkey":"%s"}"""
        .formatted(offset, partitionKey);
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, offset, null,
        value.getBytes(StandardCharsets.UTF_8));
    record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
    return record;
  }
}
