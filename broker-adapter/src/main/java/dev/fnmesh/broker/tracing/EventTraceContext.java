package dev.fnmesh.broker.tracing;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvents Distributed Tracing extension: the {@code traceparent} and {@code tracestate} attributes of
 * an event, which the Kafka binding writes as {@code ce_traceparent} and {@code ce_tracestate} headers (or
 * inside a structured record). Read as a parent, written from a span.
 */
public final class EventTraceContext {

  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private static final TextMapGetter<CloudEvent> EXTENSIONS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(CloudEvent event) {
      return List.of(TRACEPARENT, TRACESTATE);
    }

    @Override
    public String get(CloudEvent event, String key) {
      Object value = event == null ? null : event.getExtension(key);
      return value == null ? null : value.toString();
    }
  };

  private static final TextMapGetter<Headers> RECORD_HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      List<String> keys = new ArrayList<>();
      headers.forEach(header -> keys.add(header.key()));
      return keys;
    }

    @Override
    public String get(Headers headers, String key) {
      Header header = headers == null ? null : headers.lastHeader(key);
      return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
  };

  private EventTraceContext() {}

  /** Whether the event carries a {@code traceparent} extension, well-formed or not. */
  public static boolean carried(CloudEvent event) {
    return event.getExtension(TRACEPARENT) != null;
  }

  /**
   * The event's extension as a parent context on top of {@code base}: {@code base} itself when the event has
   * none or a malformed one.
   */
  public static Context parent(Context base, CloudEvent event) {
    return Tracing.propagator().extract(base, event, EXTENSIONS);
  }

  /**
   * A record's W3C {@code traceparent} and {@code tracestate} headers, for a record that is no CloudEvent, as a
   * parent context on top of {@code base}: {@code base} itself when it has none or a malformed one.
   */
  public static Context parent(Context base, Headers headers) {
    return Tracing.propagator().extract(base, headers, RECORD_HEADERS);
  }

  /** The span's context as W3C headers: {@code traceparent}, and {@code tracestate} when not empty. */
  public static Map<String, String> headers(Span span) {
    Map<String, String> headers = new HashMap<>(4);
    Tracing.propagator().inject(Context.root().with(span), headers, Map::put);
    return headers;
  }

  /** The event with the span's context as its extension, replacing one it had. */
  public static CloudEvent withSpan(CloudEvent event, Span span) {
    Map<String, String> headers = headers(span);
    CloudEventBuilder builder = CloudEventBuilder.from(event)
        .withoutExtension(TRACESTATE)
        .withExtension(TRACEPARENT, headers.get(TRACEPARENT));
    String state = headers.get(TRACESTATE);
    if (state != null) {
      builder.withExtension(TRACESTATE, state);
    }
    return builder.build();
  }
}
