package dev.fnmesh.host.metrics;

import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * The exemplars of a histogram or counter name the OpenTelemetry span current on the thread that records
 * the value ({@link Span#current()}, a thread-local read). Where no span is current (no tracing set up, or a
 * callback that runs outside the span's scope) the span is invalid and no exemplar is taken, never a wrong one.
 */
final class CurrentSpanExemplars implements SpanContext {

  @Override
  public String getCurrentTraceId() {
    io.opentelemetry.api.trace.SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? span.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    io.opentelemetry.api.trace.SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? span.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    io.opentelemetry.api.trace.SpanContext span = Span.current().getSpanContext();
    return span.isValid() && span.isSampled();
  }

  /** Marks the span, so that a tracing backend keeps the trace an exemplar points to. */
  @Override
  public void markCurrentSpanAsExemplar() {
    Span span = Span.current();
    if (span.getSpanContext().isValid()) {
      span.setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
    }
  }
}
