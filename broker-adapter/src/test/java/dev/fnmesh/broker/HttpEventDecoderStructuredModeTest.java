package dev.fnmesh.broker;

import static dev.fnmesh.broker.DecoderRequests.decode;
import static dev.fnmesh.broker.DecoderRequests.decodeStructured;
import static dev.fnmesh.broker.DecoderRequests.decodeWithContentType;
import static dev.fnmesh.broker.DecoderRequests.onlyEvent;
import static dev.fnmesh.broker.DecoderRequests.refusal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * Structured mode: the whole event is one JSON object of the CloudEvents JSON format, sent as
 * {@code application/cloudevents+json}; refusals name the member at fault.
 */
class HttpEventDecoderStructuredModeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A valid structured event to be completed or broken by each test. */
  private static ObjectNode event() {
    return JSON.createObjectNode()
        .put("specversion", "1.0")
        .put("id", "order-1")
        .put("source", "/shop/orders")
        .put("type", "dev.fnmesh.order.created");
  }

  @Test
  void readsEveryAttributeAndExtensionOfAStructuredEvent() {
    ObjectNode json = event()
        .put("subject", "order-1/lines")
        .put("time", "2026-11-29T15:04:05Z")
        .put("dataschema", "https://schemas.fnmesh.dev/order.json")
        .put("traceid", "abc123")
        .put("attempt", 3)
        .put("replay", true);

    CloudEvent event = onlyEvent(decodeStructured(json.toString()));

    assertEquals("order-1", event.getId());
    assertEquals(URI.create("/shop/orders"), event.getSource());
    assertEquals("dev.fnmesh.order.created", event.getType());
    assertEquals("order-1/lines", event.getSubject());
    assertEquals(OffsetDateTime.parse("2026-11-29T15:04:05Z"), event.getTime());
    assertEquals(URI.create("https://schemas.fnmesh.dev/order.json"), event.getDataSchema());
    assertEquals("abc123", event.getExtension("traceid"));
    assertEquals(3, event.getExtension("attempt"));
    assertEquals(true, event.getExtension("replay"));
  }

  @Test
  void readsJsonDataAsTheBytesOfThatJson() throws IOException {
    ObjectNode json = event().put("datacontenttype", "application/json");
    json.putObject("data").put("name", "Ada").putArray("lines").add(1).add(2);

    CloudEvent event = onlyEvent(decodeStructured(json.toString()));

    assertEquals("application/json", event.getDataContentType());
    assertEquals(json.get("data"), JSON.readTree(event.getData().toBytes()));
  }

  @Test
  void readsBase64DataByteForByte() {
    byte[] bytes = {0, 1, (byte) 0xC3, (byte) 0x28, (byte) 0xFF};
    ObjectNode json = event()
        .put("datacontenttype", "application/octet-stream")
        .put("data_base64", Base64.getEncoder().encodeToString(bytes));

    CloudEvent event = onlyEvent(decodeStructured(json.toString()));

    assertEquals("application/octet-stream", event.getDataContentType());
    assertArrayEquals(bytes, event.getData().toBytes());
  }

  @Test
  void readsTextDataAsItsUtf8Bytes() {
    ObjectNode json = event().put("datacontenttype", "text/plain").put("data", "grüß dich");

    CloudEvent event = onlyEvent(decodeStructured(json.toString()));

    assertEquals("text/plain", event.getDataContentType());
    assertArrayEquals("grüß dich".getBytes(StandardCharsets.UTF_8), event.getData().toBytes());
  }

  @Test
  void acceptsTheStructuredContentTypeWithParameters() {
    CloudEvent event = onlyEvent(decodeWithContentType("application/cloudevents+json; charset=UTF-8",
        event().toString()));

    assertEquals("order-1", event.getId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"specversion", "id", "source", "type"})
  void refusesAStructuredEventWithoutARequiredAttributeNamingIt(String attribute) {
    ObjectNode json = event();
    json.remove(attribute);

    assertEquals(EventProblem.badRequest(attribute, "required attribute '" + attribute + "' is missing"),
        refusal(decodeStructured(json.toString())));
  }

  @Test
  void refusesAStructuredEventWithAnEmptyId() {
    assertEquals(EventProblem.badRequest("id", "attribute 'id' must not be empty"),
        refusal(decodeStructured(event().put("id", "").toString())));
  }

  @Test
  void refusesAStructuredEventOfAnUnsupportedSpecVersion() {
    assertEquals(EventProblem.badRequest("specversion", "unsupported specversion '2.0', expected 1.0 (or 0.3)"),
        refusal(decodeStructured(event().put("specversion", "2.0").toString())));
  }

  @Test
  void refusesAContextAttributeThatIsNotAString() {
    EventProblem problem = refusal(decodeStructured(event().put("id", 42).toString()));

    assertEquals(EventProblem.badRequest("id", "attribute 'id' must be a string, got a JSON NUMBER"), problem);
  }

  @Test
  void refusesAnExtensionThatIsNeitherStringNorIntegerNorBoolean() {
    ObjectNode json = event();
    json.putObject("trace").put("id", "abc");

    assertEquals(EventProblem.badRequest("trace", "attribute 'trace' must be a string, a 32-bit integer or a boolean, got a JSON OBJECT"),
        refusal(decodeStructured(json.toString())));
  }

  @Test
  void refusesAnExtensionNameWithUpperCaseLetters() {
    EventProblem problem = refusal(decodeStructured(event().put("traceId", "abc123").toString()));

    assertEquals(400, problem.status());
    assertEquals("traceId", problem.field());
    assertTrue(problem.message().contains("lower-case letters and digits"), problem.message());
  }

  @Test
  void refusesAStructuredEventWithATimeThatIsNotRfc3339() {
    EventProblem problem = refusal(decodeStructured(event().put("time", "29/11/2026 15:04").toString()));

    assertEquals(400, problem.status());
    assertEquals("time", problem.field());
  }

  @Test
  void refusesAnEventCarryingBothDataAndDataBase64() {
    ObjectNode json = event().put("data", "text").put("data_base64", "dGV4dA==");

    assertEquals(EventProblem.badRequest("data_base64", "an event may carry 'data' or 'data_base64', not both"),
        refusal(decodeStructured(json.toString())));
  }

  // JSON format 1.0 (2.4): a null attribute is to be treated as absent, so null data_base64 does not
  // compete with data.
  @Test
  void readsDataNextToANullDataBase64() throws IOException {
    ObjectNode json = event().put("datacontenttype", "application/json").putNull("data_base64");
    json.putObject("data").put("name", "Ada");

    CloudEvent event = onlyEvent(decodeStructured(json.toString()));

    assertEquals(json.get("data"), JSON.readTree(event.getData().toBytes()));
  }

  @Test
  void refusesDataBase64ThatIsNotBase64() {
    EventProblem problem = refusal(decodeStructured(event().put("data_base64", "not base64!").toString()));

    assertEquals(EventProblem.badRequest("data_base64", "data_base64 must be a base64 string"), problem);
  }

  @Test
  void refusesMalformedJson() {
    EventProblem problem = refusal(decodeStructured("{\"specversion\": \"1.0\", \"id\": "));

    assertEquals(400, problem.status());
    assertEquals("body", problem.field());
    assertTrue(problem.message().startsWith("malformed JSON: "), problem.message());
  }

  @Test
  void refusesAnEmptyStructuredBody() {
    assertEquals(EventProblem.badRequest("body", "the body is empty; a JSON CloudEvent was expected"),
        refusal(decodeStructured("")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"an event\"", "42", "null"})
  void refusesAStructuredBodyThatIsNotAJsonObject(String body) {
    EventProblem problem = refusal(decodeStructured(body));

    assertEquals(400, problem.status());
    assertEquals("body", problem.field());
    assertTrue(problem.message().startsWith("a structured CloudEvent must be a JSON object"), problem.message());
  }

  // The HTTP binding decides the mode by the content type first (3. Message Mapping) and lets a
  // structured request carry the binary-mode headers too (3.2.3 Metadata Headers).
  @Test
  void readsAStructuredRequestAsStructuredEvenWhenItAlsoCarriesCeHeaders() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("content-type", HttpEventDecoder.STRUCTURED_JSON)
        .add("ce-id", "order-1");

    CloudEvent event = onlyEvent(decode(headers, event().toString()));

    assertEquals("order-1", event.getId());
  }
}
