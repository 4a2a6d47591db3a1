package dev.fnmesh.broker.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CloudEvents Kafka binding: events are written in binary mode and keyed by their partition key;
 * records are read in binary and structured mode.
 */
class CloudEventRecordsTest {

  private static final byte[] DATA = {0, 1, (byte) 0xC3, (byte) 0x28, (byte) 0xFF};

  private static CloudEventBuilder order() {
    return CloudEventBuilder.v1()
        .withId("order-1")
        .withSource(URI.create("/shop/orders"))
        .withType("dev.fnmesh.order.created")
        .withSubject("order-1/lines")
        .withTime(OffsetDateTime.parse("2026-11-29T15:04:05.123Z"))
        .withDataSchema(URI.create("https://schemas.fnmesh.dev/order.json"))
        .withExtension("traceid", "abc123")
        .withData("application/octet-stream", DATA);
  }

  private static Map<String, String> headersOf(ProducerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> produced) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 42L, produced.key(), produced.value());
    produced.headers().forEach(header -> record.headers().add(header));
    return record;
  }

  @Test
  void writesTheAttributesAsCeHeadersAndTheDataAsTheValue() {
    ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord("orders", order().build(), null);

    assertEquals("orders", record.topic());
    assertEquals(Map.of(
        "ce_specversion", "1.0",
        "ce_id", "order-1",
        "ce_source", "/shop/orders",
        "ce_type", "dev.fnmesh.order.created",
        "ce_subject", "order-1/lines",
        "ce_time", "2026-11-29T15:04:05.123Z",
        "ce_dataschema", "https://schemas.fnmesh.dev/order.json",
        "ce_traceid", "abc123",
        "content-type", "application/octet-stream"), headersOf(record));
    assertArrayEquals(DATA, record.value());
  }

  @Test
  void keysTheRecordByThePartitionKeyExtension() {
    CloudEvent event = order().withExtension(CloudEventRecords.PARTITION_KEY, "customer-7").build();

    ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord("orders", event, "fallback".getBytes(StandardCharsets.UTF_8));

    assertArrayEquals("customer-7".getBytes(StandardCharsets.UTF_8), record.key());
  }

  @Test
  void keysTheRecordByTheFallbackKeyWithoutPartitionKey() {
    byte[] fallback = "fallback".getBytes(StandardCharsets.UTF_8);

    assertArrayEquals(fallback, CloudEventRecords.toRecord("orders", order().build(), fallback).key());
  }

  @Test
  void leavesTheRecordUnkeyedWithoutPartitionKeyOrFallback() {
    assertNull(CloudEventRecords.toRecord("orders", order().build(), null).key());
  }

  @Test
  void readsBackEveryAttributeExtensionAndByteOfDataOfAWrittenEvent() {
    CloudEvent event = order().withExtension(CloudEventRecords.PARTITION_KEY, "customer-7").build();

    CloudEvent read = CloudEventRecords.fromRecord(consumed(CloudEventRecords.toRecord("orders", event, null)));

    assertEquals(event, read);
    assertArrayEquals(DATA, read.getData().toBytes());
  }

  @Test
  void readsAStructuredRecord() {
    String json = """
        {"specversion": "1.0", "id": "order-1", "source": "/shop/orders", "type": "dev.fnmesh.order.created",
         "traceid": "abc123", "datacontenttype": "text/plain", "data": "hello"}""";
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("orders", 0, 7L, null, json.getBytes(StandardCharsets.UTF_8));
    record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));

    CloudEvent event = CloudEventRecords.fromRecord(record);

    assertEquals("order-1", event.getId());
    assertEquals(URI.create("/shop/orders"), event.getSource());
    assertEquals("dev.fnmesh.order.created", event.getType());
    assertEquals("abc123", event.getExtension("traceid"));
    assertEquals("text/plain", event.getDataContentType());
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), event.getData().toBytes());
  }

  @Test
  void refusesARecordThatIsNoCloudEventInEitherMode() {
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("orders", 0, 7L, null, "hello".getBytes(StandardCharsets.UTF_8));

    assertThrows(CloudEventRWException.class, () -> CloudEventRecords.fromRecord(record));
  }
}
