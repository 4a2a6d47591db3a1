package dev.fnmesh.broker;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/** Requests for the HTTP event decoder tests and the two ways of reading its outcome. */
final class DecoderRequests {

  static final HttpEventDecoder DECODER = HttpEventDecoder.create();

  private DecoderRequests() {}

  /** The headers of a minimal valid binary-mode event, to be completed or broken by each test. */
  static MultiMap binaryHeaders() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("ce-specversion", "1.0")
        .add("ce-id", "order-1")
        .add("ce-source", "/shop/orders")
        .add("ce-type", "dev.fnmesh.order.created");
  }

  static DecodedEvents decode(MultiMap headers, String body) {
    return DECODER.decode(headers, Buffer.buffer(body));
  }

  static DecodedEvents decodeWithContentType(String contentType, String body) {
    return decode(MultiMap.caseInsensitiveMultiMap().add("content-type", contentType), body);
  }

  static DecodedEvents decodeStructured(String json) {
    return decodeWithContentType(HttpEventDecoder.STRUCTURED_JSON, json);
  }

  static DecodedEvents decodeBatch(String json) {
    return decodeWithContentType(HttpEventDecoder.BATCH_JSON, json);
  }

  static List<CloudEvent> accepted(DecodedEvents decoded) {
    return assertInstanceOf(DecodedEvents.Accepted.class, decoded, () -> "expected events, got " + decoded).events();
  }

  static CloudEvent onlyEvent(DecodedEvents decoded) {
    List<CloudEvent> events = accepted(decoded);
    if (events.size() != 1) {
      throw new AssertionError("expected exactly one event, got " + events);
    }
    return events.get(0);
  }

  static EventProblem refusal(DecodedEvents decoded) {
    return assertInstanceOf(DecodedEvents.Refused.class, decoded, () -> "expected a refusal, got " + decoded).problem();
  }
}
