package dev.fnmesh.broker.signing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing a state record and checking it when read: only the very record signed with the cluster key verifies. */
class StateSignaturesTest {

  private static final String TOPIC = "fnmesh.state";
  private static final String MESH = "{\"text\":\"functions: {}\",\"source\":\"mesh.yaml\",\"directory\":\"/m\"}";

  private final StateSignatures signatures = StateSignatures.with(key("0123456789abcdef-the-cluster-key"));

  @Test
  void aRecordSignedWithTheKeyVerifiesAndIsNotCountedAsRejected() {
    assertTrue(signatures.verify(read(signatures.sign(record(TOPIC, "mesh", MESH)))));
    assertTrue(signatures.verify(read(signatures.sign(record(TOPIC, "host/a", null)))), "a signed tombstone");
    assertEquals(0, signatures.rejected());
  }

  @Test
  void aRecordWithoutSignatureIsRejectedAndCounted() {
    assertFalse(signatures.verify(read(record(TOPIC, "mesh", MESH))));
    assertFalse(signatures.verify(read(record(TOPIC, "host/a", null))));
    assertEquals(2, signatures.rejected());
  }

  @Test
  void aChangedValueOrKeyNoLongerVerifies() {
    ProducerRecord<byte[], byte[]> signed = signatures.sign(record(TOPIC, "mesh", MESH));

    assertFalse(signatures.verify(read(withSignatureOf(signed, record(TOPIC, "mesh", MESH.replace("{}", "{x: 1}"))))));
    assertFalse(signatures.verify(read(withSignatureOf(signed, record(TOPIC, "mesh2", MESH)))));
    assertFalse(signatures.verify(read(withSignatureOf(signed, record(TOPIC, "mesh", null)))), "nor as a tombstone");
    assertEquals(3, signatures.rejected());
  }

  @Test
  void aSignatureMovedToAnotherKeyOrTopicDoesNotVerify() {
    // The beat of host 'a' and the cron state of a trigger named 'mesh' are genuine records of their own.
    ProducerRecord<byte[], byte[]> beat = signatures.sign(record(TOPIC, "host/a", "{\"host\":\"a\",\"http\":\"x\"}"));
    ProducerRecord<byte[], byte[]> cron = signatures.sign(record("fnmesh.cron.state", "mesh", MESH));

    assertFalse(signatures.verify(read(withSignatureOf(beat, record(TOPIC, "mesh", "{\"host\":\"a\",\"http\":\"x\"}")))));
    assertFalse(signatures.verify(read(withSignatureOf(cron, record(TOPIC, "mesh", MESH)))));
  }

  @Test
  void aRecordSignedWithAnotherKeyDoesNotVerify() {
    StateSignatures other = StateSignatures.with(key("another-cluster-key-of-32-bytes!"));

    assertFalse(signatures.verify(read(other.sign(record(TOPIC, "mesh", MESH)))));
    assertEquals(1, signatures.rejected());
  }

  @Test
  void signingReplacesASignatureTheRecordCarriedAndKeepsItsOtherHeaders() {
    ProducerRecord<byte[], byte[]> forged = record(TOPIC, "mesh", MESH);
    forged.headers().add(StateSignatures.HEADER, new byte[32]).add("trace", "t".getBytes(StandardCharsets.UTF_8));

    ProducerRecord<byte[], byte[]> signed = signatures.sign(forged);

    assertEquals(2, signed.headers().toArray().length, "one signature and the trace header");
    assertTrue(signatures.verify(read(signed)));
    assertEquals("t", new String(signed.headers().lastHeader("trace").value(), StandardCharsets.UTF_8));
  }

  @Test
  void withoutAKeyNothingIsSignedAndEveryRecordIsAccepted() {
    StateSignatures none = StateSignatures.none();
    ProducerRecord<byte[], byte[]> record = record(TOPIC, "mesh", MESH);

    assertSame(record, none.sign(record));
    assertNull(record.headers().lastHeader(StateSignatures.HEADER));
    assertTrue(none.verify(read(record)));
    assertTrue(none.verify(read(signatures.sign(record))));
    assertFalse(none.signs());
    assertEquals(0, none.rejected());
  }

  @Test
  void aKeyIsItsBytesWithoutTheWhitespaceAroundThem() {
    StateSignatures fromFile = StateSignatures.with(key("  0123456789abcdef-the-cluster-key\n"));

    assertTrue(signatures.verify(read(fromFile.sign(record(TOPIC, "mesh", MESH)))));
  }

  @Test
  void anEmptyOrShortKeyIsRefusedAndAKeyIsNeverPrinted() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> key(" \n"));
    IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () -> key("fifteen-bytes!!\n"));

    assertEquals("the cluster key in the test is empty", empty.getMessage());
    assertTrue(shortKey.getMessage().contains("has 15 bytes, fewer than 16"), shortKey.getMessage());
    assertFalse(key("0123456789abcdef-the-cluster-key").toString().contains("0123"));
  }

  @Test
  void aGeneratedKeyIsAValidKeyOfItsOwn() {
    StateSignatures generated = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "memory"));

    assertTrue(generated.verify(read(generated.sign(record(TOPIC, "mesh", MESH)))));
    assertFalse(signatures.verify(read(generated.sign(record(TOPIC, "mesh", MESH)))));
  }

  private static ClusterKey key(String text) {
    return ClusterKey.of(text.getBytes(StandardCharsets.UTF_8), "the test");
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code target} carrying the signature header of {@code signed}, as a forger copying it would write it. */
  private static ProducerRecord<byte[], byte[]> withSignatureOf(ProducerRecord<byte[], byte[]> signed,
      ProducerRecord<byte[], byte[]> target) {
    target.headers().add(signed.headers().lastHeader(StateSignatures.HEADER));
    return target;
  }

  /** The record as a consumer reads it. */
  private static ConsumerRecord<byte[], byte[]> read(ProducerRecord<byte[], byte[]> written) {
    Headers headers = new RecordHeaders(written.headers().toArray());
    return new ConsumerRecord<>(written.topic(), 0, 7L, 0L, TimestampType.CREATE_TIME,
        written.key() == null ? -1 : written.key().length, written.value() == null ? -1 : written.value().length,
        written.key(), written.value(), headers, Optional.empty());
  }
}
