package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The ingress's fast path for binary-mode requests reads exactly what the CloudEvents SDK reads from a
 * well-formed 1.0 request, and leaves every other request to the general path.
 */
class BinaryRequestsTest {

  private static MultiMap minimal() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("ce-specversion", "1.0")
        .add("ce-id", "order-1")
        .add("ce-source", "/shop/orders")
        .add("ce-type", "dev.fnmesh.order.created");
  }

  static List<MultiMap> wellFormed() {
    return List.of(
        minimal(),
        minimal().add("content-type", "application/json; charset=utf-8").add("accept", "*/*"),
        minimal().add("ce-subject", "lines/ü").add("ce-time", "2026-11-29T15:04:05.123+01:00")
            .add("ce-dataschema", "https://schemas.example/order.json").add("ce-traceid", "abc")
            .add("ce-partitionkey", "customer-7").add("content-type", "application/octet-stream"),
        MultiMap.caseInsensitiveMultiMap().add("CE-SpecVersion", "1.0").add("Ce-Id", "1").add("ce-Source", "urn:x")
            .add("CE-TYPE", "t").add("Ce-TraceId", "x").add("Content-Type", "text/plain"));
  }

  @ParameterizedTest
  @MethodSource("wellFormed")
  void readsAWellFormedRequestExactlyAsTheSdkDoes(MultiMap headers) {
    for (Buffer body : List.of(Buffer.buffer(), Buffer.buffer("{\"amount\":120}"))) {
      CloudEvent sdk = VertxMessageFactory.createReader(headers, body).toEvent();

      CloudEvent fast = BinaryRequests.decode(headers, body);

      assertNotNull(fast, "a well-formed request takes the fast path");
      assertEquals(sdk, fast);
    }
  }

  static List<MultiMap> leftToTheGeneralPath() {
    return List.of(
        minimal().set("ce-specversion", "0.3"),
        minimal().set("ce-id", "order%2D1"),
        minimal().add("ce-id", "order-2"),
        minimal().add("ce-datacontenttype", "application/json"),
        minimal().add("content-type", "application/json").add("Content-Type", "text/plain"),
        minimal().add("content-type", "not a media type"),
        minimal().set("ce-source", "not a uri"),
        minimal().add("ce-dataschema", "/relative"),
        minimal().add("ce-time", "yesterday"),
        minimal().add("ce-subject", ""),
        minimal().set("ce-type", ""),
        minimal().remove("ce-source"),
        minimal().add("ce-Bad_Name", "x"),
        minimal().add("ce-traceid", "a\u0001b"));
  }

  @ParameterizedTest
  @MethodSource("leftToTheGeneralPath")
  void leavesEveryOtherRequestToTheGeneralPath(MultiMap headers) {
    assertNull(BinaryRequests.decode(headers, Buffer.buffer("{}")));
  }

  @Test
  void keepsTheBodyAsTheEventsBytes() {
    byte[] body = {0, (byte) 0xC3, (byte) 0x28, (byte) 0xFF};

    CloudEvent event = BinaryRequests.decode(minimal().add("content-type", "application/octet-stream"),
        Buffer.buffer(body));

    assertEquals(Buffer.buffer(body), Buffer.buffer(event.getData().toBytes()));
  }
}
