package dev.fnmesh.broker.tracing;

import io.cloudevents.CloudEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * The spans of an HTTP surface that takes requests in: a SERVER span per request, the continuation of the
 * request's W3C {@code traceparent} or the root of a new trace, and for the events it writes to Kafka a
 * PRODUCER span each, whose context becomes the event's Distributed Tracing extension. An event that comes
 * with that extension keeps it: it names where the event was created, which the OpenTelemetry CloudEvents
 * conventions forbid an intermediary to rewrite; its producer span links to it instead.
 */
public final class IngressTracing {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final String SPAN_KEY = "fnmesh.tracing.span";

  private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpServerRequest request) {
      return request.headers().names();
    }

    @Override
    public String get(HttpServerRequest request, String key) {
      return request == null ? null : request.getHeader(key);
    }
  };

  private final Tracing tracing;

  public IngressTracing(Tracing tracing) {
    this.tracing = tracing;
  }

  /**
   * Puts the server span handler first on the route when tracing is on, and nothing otherwise.
   *
   * @param template the route as OpenTelemetry names it, e.g. {@code /topics/{topic}}
   */
  public Route serve(Route route, String template) {
    return tracing.on() ? route.handler(serverSpans(template)) : route;
  }

  // A platform handler, as Vert.x Web names the ones that run before the body is read: a request refused as
  // too large is traced too.
  private PlatformHandler serverSpans(String template) {
    return ctx -> {
      HttpServerRequest request = ctx.request();
      Context parent = Tracing.propagator().extract(Context.root(), request, HEADERS);
      String method = request.method().name();
      Span span = tracing.tracer().spanBuilder(method + " " + template).setParent(parent)
          .setSpanKind(SpanKind.SERVER)
          .setAttribute(METHOD, method)
          .setAttribute(ROUTE, template)
          .setAttribute(PATH, request.path())
          .startSpan();
      ctx.put(SPAN_KEY, span);
      ctx.addEndHandler(ended -> {
        int status = ctx.response().getStatusCode();
        span.setAttribute(STATUS, (long) status);
        if (status >= 500 || ended.failed()) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      });
      ctx.next();
    };
  }

  /** The request's server span, or null when it is not traced. */
  public static Span serverSpan(RoutingContext ctx) {
    return ctx.get(SPAN_KEY);
  }

  /**
   * Starts a producer span for each event, children of the request's server span, and gives each event
   * without the extension its span's context.
   *
   * @return null when the request is not traced: then the events are written as they are
   */
  public static Sends sends(RoutingContext ctx, String topic, List<CloudEvent> events, Tracing tracing) {
    if (!tracing.on()) {
      return null;
    }
    Span server = serverSpan(ctx);
    if (server == null) {
      return null;
    }
    Context parent = Context.root().with(server);
    boolean batch = events.size() != 1;
    List<CloudEvent> traced = new ArrayList<>(events.size());
    List<Span> spans = new ArrayList<>(events.size());
    for (CloudEvent event : events) {
      var builder = tracing.tracer().spanBuilder((batch ? "create " : "send ") + topic).setParent(parent)
          .setSpanKind(SpanKind.PRODUCER);
      MessagingAttributes.producer(builder, topic, batch ? "create" : "send", event);
      boolean carried = EventTraceContext.carried(event);
      if (carried) {
        Span origin = Span.fromContext(EventTraceContext.parent(Context.root(), event));
        if (origin.getSpanContext().isValid()) {
          builder.addLink(origin.getSpanContext());
        }
      }
      Span span = builder.startSpan();
      spans.add(span);
      traced.add(carried ? event : EventTraceContext.withSpan(event, span));
    }
    return new Sends(traced, spans);
  }

  /** The events as written, and their producer spans, to end once Kafka answered. */
  public record Sends(List<CloudEvent> events, List<Span> spans) {

    public void end(AsyncResult<?> written) {
      for (Span span : spans) {
        if (written.failed()) {
          span.recordException(written.cause());
          span.setStatus(StatusCode.ERROR, written.cause().getMessage());
        }
        span.end();
      }
    }
  }
}
