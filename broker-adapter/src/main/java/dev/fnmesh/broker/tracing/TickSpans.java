package dev.fnmesh.broker.tracing;

import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

import java.util.List;

/**
 * The spans of cron ticks: each tick is the root of a trace of its own, a PRODUCER span that ends when the
 * transaction that writes the tick committed or failed, and whose context the tick event carries.
 */
public final class TickSpans {

  private TickSpans() {}

  /** Starts the root span of one tick's event, written to {@code topic} for {@code trigger}. */
  public static Span start(Tracing tracing, String trigger, String topic, CloudEvent event) {
    return MessagingAttributes.producer(tracing.tracer().spanBuilder("send " + topic).setNoParent()
            .setSpanKind(SpanKind.PRODUCER), topic, "send", event)
        .setAttribute(MessagingAttributes.TRIGGER, trigger)
        .startSpan();
  }

  /** Ends the spans of a transaction, as failed when {@code failure} is not null. */
  public static void end(List<Span> spans, Throwable failure) {
    for (Span span : spans) {
      if (failure != null) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getMessage());
      }
      span.end();
    }
  }
}
