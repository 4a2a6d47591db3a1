package dev.fnmesh.broker;

import static dev.fnmesh.broker.DecoderRequests.DECODER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.broker.impl.CloudEventRecords;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whatever headers and body a request carries, the decoder answers with events or with one problem (a 4xx
 * naming the field); it never throws. Every event it accepts can be written to Kafka and read back, since
 * the ingress publishes exactly those.
 */
class HttpEventDecoderFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> REFUSALS = Set.of(400, 413, 415);
  private static final List<String> STRUCTURED = EventInputs.lines("fuzz/http/structured.txt");
  private static final List<String> BATCHES = EventInputs.lines("fuzz/http/batch.txt");
  private static final List<String> BINARY = EventInputs.lines("fuzz/http/binary.txt");
  private static final List<String> JSON_TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800",
      "\\u0000", "null", "true", "0", "-0", "1e999", "-1e-999", "99999999999999999999", "2147483648", "1.5",
      "\"specversion\":", "\"1.0\"", "\"0.3\"", "\"id\":", "\"source\":", "\"type\":", "\"time\":", "\"data\":",
      "\"data_base64\":", "\"datacontenttype\":", "\"x\"", "{}", "[]", "\"2026-02-30T00:00:00Z\"");

  @Property(seed = "7001", tries = 2000)
  void anyStructuredBodyIsDecodedOrRefused(@ForAll("structuredTexts") String body,
      @ForAll("structuredTypes") String contentType) {
    decodesOrIsRefused(withContentType(contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  @Property(seed = "7002", tries = 1000)
  void anyBatchBodyIsDecodedOrRefused(@ForAll("batchTexts") String body) {
    decodesOrIsRefused(withContentType(HttpEventDecoder.BATCH_JSON), body.getBytes(StandardCharsets.UTF_8));
  }

  @Property(seed = "7003", tries = 2000)
  void anyStructuredEventOfAttributesOfAnyTypeIsDecodedOrRefused(@ForAll("events") JsonNode event) {
    decodesOrIsRefused(withContentType(HttpEventDecoder.STRUCTURED_JSON), json(event));
  }

  @Property(seed = "7004", tries = 500)
  void anyBatchOfSuchEventsIsDecodedOrRefused(@ForAll("batches") JsonNode batch) {
    decodesOrIsRefused(withContentType(HttpEventDecoder.BATCH_JSON), json(batch));
  }

  @Property(seed = "7005", tries = 2000)
  void anyBinaryModeRequestIsDecodedOrRefused(@ForAll("binaryHeaders") List<Map.Entry<String, String>> headers,
      @ForAll("bodies") byte[] body) {
    decodesOrIsRefused(headers(headers), body);
  }

  @Property(seed = "7006", tries = 1000)
  void anyRequestAtAllIsDecodedOrRefused(@ForAll("anyHeaders") List<Map.Entry<String, String>> headers,
      @ForAll("bodies") byte[] body) {
    decodesOrIsRefused(headers(headers), body);
  }

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void everyRequestOfTheCorpusIsDecodedOrRefused(@ForAll("corpus") Map.Entry<MultiMap, byte[]> request) {
    decodesOrIsRefused(request.getKey(), request.getValue());
  }

  @Example
  void anAttributeHoldingAnUnpairedSurrogateOrAControlCharacterIsRefusedNamingIt() {
    EventProblem surrogate = DecoderRequests.refusal(DecoderRequests.decodeStructured(
        "{\"specversion\":\"1.0\",\"id\":\"a\\ud800\",\"source\":\"/s\",\"type\":\"t\"}"));
    assertEquals(EventProblem.badRequest("id", "attribute 'id' holds half of a surrogate pair, U+D800, at index 1; "
        + "CloudEvents strings may not hold control characters, noncharacters or unpaired surrogates"), surrogate);

    EventProblem control = DecoderRequests.refusal(
        DecoderRequests.decode(DecoderRequests.binaryHeaders().add("ce-subject", "a%00b"), ""));
    assertEquals("subject", control.field());
    assertTrue(control.message().startsWith("attribute 'subject' holds a control character, U+0000, at index 1"));
  }

  static void decodesOrIsRefused(MultiMap headers, byte[] body) {
    DecodedEvents decoded = DECODER.decode(headers, Buffer.buffer(body));
    if (decoded instanceof DecodedEvents.Refused refused) {
      EventProblem problem = refused.problem();
      assertTrue(REFUSALS.contains(problem.status()), problem::toString);
      assertNotNull(problem.field(), problem::toString);
      assertFalse(problem.message().isBlank(), problem::toString);
      return;
    }
    for (CloudEvent event : ((DecodedEvents.Accepted) decoded).events()) {
      assertFalse(event.getId().isEmpty(), event::toString);
      assertFalse(event.getType().isEmpty(), event::toString);
      ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord("orders", event, null);
      CloudEvent read = CloudEventRecords.fromRecord(consumed(written));
      assertEquals(event.getId(), read.getId());
      // Read back, the event may hold its data and extensions in other types; written again, it gives the same record.
      assertEquals(asText(written), asText(CloudEventRecords.toRecord("orders", read, null)));
    }
  }

  private static List<String> asText(ProducerRecord<byte[], byte[]> record) {
    List<String> text = new ArrayList<>();
    record.headers().forEach(header -> text.add(header.key() + "=" + HexFormat.of().formatHex(header.value())));
    // Empty data reads back as no data: the binding cannot tell the two apart.
    text.add("value=" + (record.value() == null ? "" : HexFormat.of().formatHex(record.value())));
    // Extensions are written in no particular order.
    Collections.sort(text);
    return text;
  }

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> produced) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 0L, produced.key(), produced.value());
    produced.headers().forEach(header -> record.headers().add(header));
    return record;
  }

  private static MultiMap withContentType(String contentType) {
    return MultiMap.caseInsensitiveMultiMap().add("content-type", contentType);
  }

  /** The headers as a server would hand them over; a name or value no HTTP parser lets through is skipped. */
  private static MultiMap headers(List<Map.Entry<String, String>> entries) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    try {
      entries.forEach(entry -> headers.add(entry.getKey(), entry.getValue()));
    } catch (IllegalArgumentException invalidHeader) {
      Assume.that(false);
    }
    return headers;
  }

  private static byte[] json(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<String> structuredTexts() {
    return EventInputs.around(STRUCTURED, JSON_TOKENS);
  }

  @Provide
  Arbitrary<String> structuredTypes() {
    return Arbitraries.of(HttpEventDecoder.STRUCTURED_JSON, "application/cloudevents+json; charset=utf-8",
        "APPLICATION/CloudEvents+JSON", " application/cloudevents+json ;", "application/cloudevents+json;;;=");
  }

  @Provide
  Arbitrary<String> batchTexts() {
    return EventInputs.around(BATCHES, JSON_TOKENS);
  }

  @Provide
  Arbitrary<JsonNode> events() {
    return EventTrees.events();
  }

  @Provide
  Arbitrary<JsonNode> batches() {
    return EventTrees.batches();
  }

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> binaryHeaders() {
    return EventTrees.binaryHeaders();
  }

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> anyHeaders() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("content-type", "ce-specversion", "ce-id", "ce-"),
        Arbitraries.strings().ascii().ofMaxLength(10), Arbitraries.strings().all().ofMaxLength(6).map(name -> "ce-" + name));
    return Arbitraries.entries(names, EventInputs.attributeValues()).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.oneOf(EventInputs.bytes(),
        EventInputs.around(STRUCTURED, JSON_TOKENS).map(text -> text.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<Map.Entry<MultiMap, byte[]>> corpus() {
    List<Map.Entry<MultiMap, byte[]>> requests = new ArrayList<>();
    STRUCTURED.forEach(body -> requests.add(Map.entry(withContentType(HttpEventDecoder.STRUCTURED_JSON), bytes(body))));
    BATCHES.forEach(body -> requests.add(Map.entry(withContentType(HttpEventDecoder.BATCH_JSON), bytes(body))));
    BINARY.forEach(line -> requests.add(EventTrees.binaryRequest(line)));
    return Arbitraries.of(requests);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
