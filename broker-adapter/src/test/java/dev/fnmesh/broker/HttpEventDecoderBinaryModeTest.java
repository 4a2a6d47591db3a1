package dev.fnmesh.broker;

import static dev.fnmesh.broker.DecoderRequests.DECODER;
import static dev.fnmesh.broker.DecoderRequests.binaryHeaders;
import static dev.fnmesh.broker.DecoderRequests.decode;
import static dev.fnmesh.broker.DecoderRequests.decodeWithContentType;
import static dev.fnmesh.broker.DecoderRequests.onlyEvent;
import static dev.fnmesh.broker.DecoderRequests.refusal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Binary mode: the context attributes and extensions travel as {@code ce-*} headers, the content type
 * is the event's datacontenttype and the body is its data. Requests that are not CloudEvents at all are
 * refused with 415.
 */
class HttpEventDecoderBinaryModeTest {

  @Test
  void readsEveryAttributeExtensionAndTheBodyOfABinaryEvent() {
    // Bytes that are not valid UTF-8 prove the body is carried as bytes, never as text.
    byte[] body = {0, 1, (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 127};
    MultiMap headers = binaryHeaders()
        .add("ce-subject", "order-1/lines")
        .add("ce-time", "2026-11-29T15:04:05.123Z")
        .add("ce-dataschema", "https://schemas.fnmesh.dev/order.json")
        .add("ce-traceid", "abc123")
        .add("ce-partitionkey", "customer-7")
        .add("content-type", "application/octet-stream");

    CloudEvent event = onlyEvent(DECODER.decode(headers, Buffer.buffer(body)));

    assertEquals(SpecVersion.V1, event.getSpecVersion());
    assertEquals("order-1", event.getId());
    assertEquals(URI.create("/shop/orders"), event.getSource());
    assertEquals("dev.fnmesh.order.created", event.getType());
    assertEquals("order-1/lines", event.getSubject());
    assertEquals(OffsetDateTime.parse("2026-11-29T15:04:05.123Z"), event.getTime());
    assertEquals(URI.create("https://schemas.fnmesh.dev/order.json"), event.getDataSchema());
    assertEquals("application/octet-stream", event.getDataContentType());
    assertEquals(Set.of("traceid", "partitionkey"), event.getExtensionNames());
    assertEquals("abc123", event.getExtension("traceid"));
    assertEquals("customer-7", event.getExtension("partitionkey"));
    assertArrayEquals(body, event.getData().toBytes());
  }

  @Test
  void readsABinaryEventWithoutBodyAsAnEventWithoutData() {
    CloudEvent event = onlyEvent(DECODER.decode(binaryHeaders(), Buffer.buffer()));

    assertNull(event.getData());
    assertNull(event.getDataContentType());
  }

  @Test
  void readsCeHeaderNamesCaseInsensitivelyAsHttpRequires() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("CE-SpecVersion", "1.0")
        .add("Ce-Id", "order-1")
        .add("ce-Source", "/shop/orders")
        .add("CE-TYPE", "dev.fnmesh.order.created")
        .add("Ce-TraceId", "abc123");

    CloudEvent event = onlyEvent(DECODER.decode(headers, Buffer.buffer()));

    assertEquals("order-1", event.getId());
    assertEquals("abc123", event.getExtension("traceid"));
  }

  @Test
  void keepsTheContentTypeParametersAsTheDataContentType() {
    MultiMap headers = binaryHeaders().add("content-type", "text/plain; charset=utf-8");

    CloudEvent event = onlyEvent(decode(headers, "hello"));

    assertEquals("text/plain; charset=utf-8", event.getDataContentType());
  }

  // HTTP binding 3.1.3.2: header values carry non-ASCII text percent-encoded, and a receiver MUST
  // percent-decode them once.
  @Test
  void percentDecodesCeHeaderValues() {
    MultiMap headers = binaryHeaders().add("ce-subject", "Caf%C3%A9%20cr%C3%A8me");

    assertEquals("Café crème", onlyEvent(decode(headers, "")).getSubject());
  }

  @ParameterizedTest
  @ValueSource(strings = {"specversion", "id", "source", "type"})
  void refusesABinaryEventWithoutARequiredAttributeNamingIt(String attribute) {
    MultiMap headers = binaryHeaders().remove("ce-" + attribute);

    assertEquals(EventProblem.badRequest(attribute, "required attribute '" + attribute + "' is missing"),
        refusal(decode(headers, "")));
  }

  @Test
  void refusesABinaryEventWithAnEmptyId() {
    MultiMap headers = binaryHeaders().set("ce-id", "");

    assertEquals(EventProblem.badRequest("id", "attribute 'id' must not be empty"), refusal(decode(headers, "")));
  }

  @Test
  void refusesABinaryEventOfAnUnsupportedSpecVersion() {
    MultiMap headers = binaryHeaders().set("ce-specversion", "2.0");

    assertEquals(EventProblem.badRequest("specversion", "unsupported specversion '2.0', expected 1.0 (or 0.3)"),
        refusal(decode(headers, "")));
  }

  @Test
  void refusesABinaryEventWithATimeThatIsNotRfc3339() {
    MultiMap headers = binaryHeaders().add("ce-time", "yesterday at noon");

    EventProblem problem = refusal(decode(headers, ""));

    assertEquals(400, problem.status());
    assertEquals("time", problem.field());
    assertTrue(problem.message().contains("'yesterday at noon'"), problem.message());
  }

  @Test
  void refusesABinaryExtensionWhoseNameIsNotLowerCaseLettersAndDigits() {
    MultiMap headers = binaryHeaders().add("ce-trace-id", "abc123");

    EventProblem problem = refusal(decode(headers, ""));

    assertEquals(400, problem.status());
    assertEquals("trace-id", problem.field());
  }

  @Test
  void refusesABinaryEventWhoseContentTypeIsNotAMediaType() {
    MultiMap headers = binaryHeaders().add("content-type", "plain text");

    EventProblem problem = refusal(decode(headers, "hello"));

    assertEquals(400, problem.status());
    assertEquals("datacontenttype", problem.field());
  }

  @Test
  void refusesJsonWithoutCeHeadersAsAnUnsupportedMediaType() {
    EventProblem problem = refusal(decodeWithContentType("application/json", "{\"name\":\"Ada\"}"));

    assertEquals(415, problem.status());
    assertEquals("content-type", problem.field());
    assertTrue(problem.message().contains("'application/json'"), problem.message());
  }

  @Test
  void refusesARequestWithNeitherContentTypeNorCeHeadersAsAnUnsupportedMediaType() {
    EventProblem problem = refusal(decode(MultiMap.caseInsensitiveMultiMap(), "hello"));

    assertEquals(415, problem.status());
    assertEquals("content-type", problem.field());
  }

  @Test
  void refusesAnEventFormatOtherThanJsonAsAnUnsupportedMediaType() {
    EventProblem problem = refusal(decodeWithContentType("application/cloudevents+xml", "<event/>"));

    assertEquals(415, problem.status());
    assertEquals("content-type", problem.field());
    assertTrue(problem.message().contains("'application/cloudevents+xml'"), problem.message());
  }
}
