package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The fast path of the Kafka binding reads exactly what the SDK reads from a well-formed binary-mode
 * record, hands every other record to the SDK, and passes an unchanged event on as the record it came from.
 */
class BinaryRecordsTest {

  static List<CloudEvent> events() {
    return List.of(
        CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t").build(),
        CloudEventBuilder.v1().withId("order-1").withSource(URI.create("https://shop.example/orders?x=1"))
            .withType("dev.fnmesh.order.created").withSubject("lines/ü").withTime(OffsetDateTime.parse("2026-11-29T15:04:05.123+01:00"))
            .withDataSchema(URI.create("https://schemas.example/order.json")).withExtension("traceid", "abc")
            .withExtension("partitionkey", "customer-7").withExtension("n1", "2")
            .withData("application/json", "{\"amount\":120}".getBytes(StandardCharsets.UTF_8)).build(),
        CloudEventBuilder.v1().withId("bin").withSource(URI.create("urn:x")).withType("t")
            .withData("application/octet-stream", new byte[] {0, (byte) 0xC3, (byte) 0x28, (byte) 0xFF}).build(),
        CloudEventBuilder.v1().withId("untyped").withSource(URI.create("/s")).withType("t")
            .withData("x".getBytes(StandardCharsets.UTF_8)).build());
  }

  @ParameterizedTest
  @MethodSource("events")
  void readsAWellFormedBinaryRecordAsTheSdkDoes(CloudEvent event) {
    ConsumerRecord<byte[], byte[]> record = consumed(CloudEventRecords.toRecord("t", event, null));
    CloudEvent fast = BinaryRecords.decode(record);
    assertNotNull(fast, "read without the SDK");
    assertEquals(KafkaMessageFactory.createReader(record).toEvent(), fast);
    assertEquals(event, fast);
  }

  @ParameterizedTest
  @MethodSource("events")
  void passesAnUnchangedEventOnAsTheRecordItCameFrom(CloudEvent event) {
    ConsumerRecord<byte[], byte[]> record = consumed(CloudEventRecords.toRecord("in", event, "k".getBytes(StandardCharsets.UTF_8)));
    CloudEvent read = CloudEventRecords.fromRecord(record);
    ProducerRecord<byte[], byte[]> forwarded = CloudEventRecords.forward("out", read, record, record.key());
    ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord("out", read, record.key());
    assertEquals("out", forwarded.topic());
    assertEquals(headersOf(written), headersOf(forwarded));
    assertArrayEquals(written.key(), forwarded.key());
    assertArrayEquals(written.value(), forwarded.value());
    assertEquals(event, CloudEventRecords.fromRecord(consumed(forwarded)));
  }

  @Test
  void leavesEveryOtherRecordToTheSdk() {
    Map<String, String> valid = new LinkedHashMap<>(Map.of("ce_specversion", "1.0", "ce_id", "1", "ce_source", "/s",
        "ce_type", "t"));
    assertNotNull(BinaryRecords.decode(record(valid, null)), "the valid record itself is read fast");
    assertNull(BinaryRecords.decode(record(with(valid, "ce_specversion", "0.3"), null)), "another spec version");
    assertNull(BinaryRecords.decode(record(without(valid, "ce_id"), null)), "no id");
    assertNull(BinaryRecords.decode(record(with(valid, "ce_source", ""), null)), "an empty source");
    assertNull(BinaryRecords.decode(record(with(valid, "ce_source", "not a uri"), null)), "a source that is no URI");
    assertNull(BinaryRecords.decode(record(with(valid, "ce_time", "yesterday"), null)), "a time that is no RFC 3339 time");
    assertNull(BinaryRecords.decode(record(with(valid, "ce_Trace-Id", "x"), null)), "an illegal extension name");
    assertNull(BinaryRecords.decode(record(with(valid, "ce_datacontenttype", "text/plain"), null)), "datacontenttype as ce_");
    assertNull(BinaryRecords.decode(record(with(valid, "content-type", "application/cloudevents+json"), null)), "structured");
    assertNull(BinaryRecords.decode(record(Map.of("content-type", "application/json"), "{}")), "no CloudEvent headers");
    ConsumerRecord<byte[], byte[]> repeated = record(valid, null);
    repeated.headers().add("ce_source", "a b".getBytes(StandardCharsets.UTF_8));
    repeated.headers().add("ce_source", "/ok".getBytes(StandardCharsets.UTF_8));
    assertNull(BinaryRecords.decode(repeated), "a repeated attribute, whose every value the SDK checks");
  }

  @Test
  void aStructuredRecordIsNotForwardedButWrittenInBinaryMode() {
    CloudEvent event = events().get(1);
    ConsumerRecord<byte[], byte[]> structured = record(Map.of("content-type", "application/cloudevents+json"),
        new String(io.cloudevents.core.provider.EventFormatProvider.getInstance()
            .resolveFormat("application/cloudevents+json").serialize(event), StandardCharsets.UTF_8));
    CloudEvent read = CloudEventRecords.fromRecord(structured);
    ProducerRecord<byte[], byte[]> out = CloudEventRecords.forward("out", read, structured, null);
    assertEquals("1.0", headersOf(out).get("ce_specversion"));
    assertEquals(event, CloudEventRecords.fromRecord(consumed(out)));
  }

  private static Map<String, String> with(Map<String, String> headers, String key, String value) {
    Map<String, String> changed = new LinkedHashMap<>(headers);
    changed.put(key, value);
    return changed;
  }

  private static Map<String, String> without(Map<String, String> headers, String key) {
    Map<String, String> changed = new LinkedHashMap<>(headers);
    changed.remove(key);
    return changed;
  }

  private static ConsumerRecord<byte[], byte[]> record(Map<String, String> headers, String value) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 0L, null,
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    headers.forEach((key, headerValue) -> record.headers().add(key, headerValue.getBytes(StandardCharsets.UTF_8)));
    return record;
  }

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> produced) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 42L, produced.key(), produced.value());
    produced.headers().forEach(header -> record.headers().add(header));
    return record;
  }

  private static Map<String, String> headersOf(ProducerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
