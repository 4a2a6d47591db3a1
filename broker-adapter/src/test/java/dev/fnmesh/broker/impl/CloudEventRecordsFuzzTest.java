package dev.fnmesh.broker.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.broker.EventInputs;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whatever headers and value a fetched record has, a trigger's consumer reads a CloudEvent from it or gets a
 * {@link CloudEventRWException}, which sends the record to the dead-letter topic; nothing else, which would
 * stall its partition. The fast path reads what the SDK reads.
 */
class CloudEventRecordsFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STRUCTURED = EventInputs.lines("fuzz/http/structured.txt");
  private static final List<String> CORPUS = EventInputs.lines("fuzz/kafka/records.txt");
  private static final List<String> JSON_TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\u", "\\ud800", "null",
      "1e999", "99999999999999999999", "\"data\":", "\"data_base64\":", "\"time\":", "\"specversion\":\"0.3\"");

  @Property(seed = "8001", tries = 3000)
  void anyRecordIsReadOrRefusedAsNoCloudEvent(@ForAll("records") ConsumerRecord<byte[], byte[]> record) {
    readOrRefused(record);
  }

  @Property(seed = "8002", tries = 1500)
  void anyStructuredRecordIsReadOrRefusedAsNoCloudEvent(@ForAll("structuredValues") byte[] value,
      @ForAll("structuredTypes") String contentType) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, 0L, null, value);
    record.headers().add("content-type", contentType.getBytes(StandardCharsets.UTF_8));
    readOrRefused(record);
  }

  @Property(seed = "8003", tries = 3000)
  void theFastPathReadsExactlyWhatTheSdkReads(@ForAll("records") ConsumerRecord<byte[], byte[]> record) {
    CloudEvent fast = BinaryRecords.decode(record);
    if (fast != null) {
      assertEquals(KafkaMessageFactory.createReader(record).toEvent(), fast);
    }
  }

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void everyRecordOfTheCorpusIsReadOrRefusedAsNoCloudEvent(@ForAll("corpus") String line) {
    readOrRefused(record(line));
  }

  @Example
  void aStructuredRecordWhoseValueIsNoEventIsRefusedAsNoCloudEvent() {
    for (String value : new String[] {"{\"specversion\":\"1.0\",", "null", "\u0001", null}) {
      ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, 0L, null, value == null ? null : bytes(value));
      record.headers().add("content-type", bytes("application/cloudevents+json"));

      CloudEventRWException refused = assertThrows(CloudEventRWException.class, () -> CloudEventRecords.fromRecord(record));
      assertTrue(refused.getMessage().startsWith("the record is not a CloudEvent: "), refused::getMessage);
    }
  }

  @Example
  void aBinaryRecordWithAContentTypeHeaderWithoutValueIsRefusedAsNoCloudEvent() {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, 0L, null, bytes("x"));
    record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes("1")).add("ce_source", bytes("/s"))
        .add("ce_type", bytes("t")).add("content-type", null);

    assertThrows(CloudEventRWException.class, () -> CloudEventRecords.fromRecord(record));
  }

  @Example
  void anEventWhoseDataIsOfACloudEventsFormatIsWrittenInStructuredModeAndReadsBack() {
    CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t")
        .withData("application/cloudevents+json", bytes("{")).build();

    ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord("orders", event, null);
    ConsumerRecord<byte[], byte[]> fetched = new ConsumerRecord<>("orders", 0, 0L, null, written.value());
    written.headers().forEach(header -> fetched.headers().add(header));

    assertEquals("application/cloudevents+json", new String(written.headers().lastHeader("content-type").value(),
        StandardCharsets.UTF_8));
    CloudEvent read = CloudEventRecords.fromRecord(fetched);
    assertEquals("application/cloudevents+json", read.getDataContentType());
    assertArrayEquals(bytes("{"), read.getData().toBytes());
  }

  static void readOrRefused(ConsumerRecord<byte[], byte[]> record) {
    CloudEvent event;
    try {
      event = CloudEventRecords.fromRecord(record);
    } catch (CloudEventRWException notACloudEvent) {
      return;
    }
    assertNotNull(event);
    // What a function's answer or a dead letter becomes: the event written on.
    assertNotNull(CloudEventRecords.toRecord("replies", event, record.key()));
    assertNotNull(CloudEventRecords.forward("replies", event, record, record.key()));
  }

  @Provide
  Arbitrary<ConsumerRecord<byte[], byte[]>> records() {
    Arbitrary<String> names = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(EventInputs.ATTRIBUTE_NAMES).map(name -> "ce_" + name)),
        Tuple.of(2, Arbitraries.of("content-type", "Content-Type", "ce_", "ce-id", "ce_ce_id")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6)));
    Arbitrary<byte[]> values = Arbitraries.frequencyOf(
        Tuple.of(6, EventInputs.attributeValues().map(text -> text.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(2, Arbitraries.of("application/json", "text/plain", "application/cloudevents+json", "a/b", "")
            .map(text -> text.getBytes(StandardCharsets.UTF_8))),
        Tuple.of(1, EventInputs.bytes()), Tuple.of(1, Arbitraries.just(null)));
    Arbitrary<List<Map.Entry<String, byte[]>>> edits = Arbitraries.entries(names, values).list().ofMaxSize(6);
    Arbitrary<byte[]> recordValues = Arbitraries.frequencyOf(Tuple.of(3, EventInputs.bytes()),
        Tuple.of(1, structuredValues()), Tuple.of(1, Arbitraries.just(null)));
    return Combinators.combine(Arbitraries.of("1.0", "0.3"), edits, Arbitraries.of(true, false), recordValues)
        .as((version, extra, complete, value) -> {
          ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 3, 42L, null, value);
          if (complete) {
            record.headers().add("ce_specversion", bytes(version)).add("ce_id", bytes("1"))
                .add("ce_source", bytes("/s")).add("ce_type", bytes("t"));
          }
          extra.forEach(header -> {
            if (header.getKey().startsWith("ce_") && !header.getKey().equals("ce_")) {
              record.headers().remove(header.getKey());
            }
            record.headers().add(header.getKey(), header.getValue());
          });
          return record;
        });
  }

  @Provide
  Arbitrary<byte[]> structuredValues() {
    return Arbitraries.oneOf(EventInputs.around(STRUCTURED, JSON_TOKENS).map(CloudEventRecordsFuzzTest::bytes),
        EventInputs.bytes());
  }

  @Provide
  Arbitrary<String> structuredTypes() {
    return Arbitraries.of("application/cloudevents+json", "application/cloudevents+json; charset=utf-8",
        "application/cloudevents", "application/cloudevents+xml", "application/cloudevents-batch+json",
        "APPLICATION/CLOUDEVENTS+JSON");
  }

  @Provide
  Arbitrary<String> corpus() {
    return Arbitraries.of(CORPUS);
  }

  /** A line of the corpus: {@code {"headers": [[name, value or null], ...], "value": text or null}}. */
  private static ConsumerRecord<byte[], byte[]> record(String line) {
    try {
      JsonNode json = JSON.readTree(line);
      ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, 0L, null,
          json.get("value").isNull() ? null : bytes(json.get("value").asText()));
      List<JsonNode> headers = new ArrayList<>();
      json.get("headers").forEach(headers::add);
      headers.forEach(header -> record.headers().add(header.get(0).asText(),
          header.get(1).isNull() ? null : bytes(header.get(1).asText())));
      return record;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
