package dev.fnmesh.launcher;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * An OTLP/HTTP trace receiver on the loopback, as a collector is one: it decodes each {@code POST /v1/traces}
 * body, an {@code ExportTraceServiceRequest} in protobuf, into the spans it holds, and answers as OTLP says.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span: ids in lower-case hex, as in a {@code traceparent}; no parent is an empty string. */
  record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
      Map<String, String> attributes) {

    String attribute(String key) {
      return attributes.get(key);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();

  OtlpReceiver() {
    server = vertx.createHttpServer().requestHandler(request -> {
      if (!"/v1/traces".equals(request.path())
          || !"application/x-protobuf".equals(request.getHeader("content-type"))) {
        refused.add(request.method() + " " + request.path() + " " + request.getHeader("content-type"));
        request.response().setStatusCode(415).end();
        return;
      }
      request.body().onSuccess(body -> {
        try {
          receive(ExportTraceServiceRequest.parseFrom(body.getBytes()));
          request.response().putHeader("content-type", "application/x-protobuf")
              .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
        } catch (Exception e) {
          refused.add("undecodable: " + e);
          request.response().setStatusCode(400).end();
        }
      });
    }).listen(0, "127.0.0.1").await();
  }

  /** The endpoint to export to, for {@code otel.exporter.otlp.traces.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  private void receive(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    request.getResourceSpansList().forEach(resource -> {
      String service = attributes(resource.getResource().getAttributesList()).get("service.name");
      resource.getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> spans.add(new ReceivedSpan(
          service, hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
          hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind().name(),
          attributes(span.getAttributesList())))));
    });
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    Map<String, String> map = new HashMap<>();
    for (KeyValue value : values) {
      AnyValue any = value.getValue();
      map.put(value.getKey(), switch (any.getValueCase()) {
        case INT_VALUE -> Long.toString(any.getIntValue());
        case BOOL_VALUE -> Boolean.toString(any.getBoolValue());
        case DOUBLE_VALUE -> Double.toString(any.getDoubleValue());
        default -> any.getStringValue();
      });
    }
    return map;
  }

  /** Every span received so far. */
  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** What was sent that is no OTLP/HTTP protobuf trace export. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  /** Waits until a received span matches; fails the test naming what did arrive when none did in time. */
  ReceivedSpan await(String what, Predicate<ReceivedSpan> matches, Duration timeout) {
    try {
      return Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(20))
          .until(() -> spans.stream().filter(matches).findFirst(), Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no span " + what + " within " + timeout + "; received " + spans + "; refused "
          + refused, e);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
