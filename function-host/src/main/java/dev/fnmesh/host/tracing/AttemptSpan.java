package dev.fnmesh.host.tracing;

import dev.fnmesh.broker.tracing.EventTraceContext;
import dev.fnmesh.broker.tracing.MessagingAttributes;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The span of one delivery attempt, in W3C form for the function it invokes and for the events it writes
 * (the reply, a dead letter), which carry it as their Distributed Tracing extension so that the next trigger
 * continues the same trace; a dead letter of a record that is no CloudEvent carries it as W3C record headers.
 */
public final class AttemptSpan {

  /** How an attempt ended, as its {@code fnmesh.outcome} attribute says. */
  public enum Outcome {
    SUCCEEDED("succeeded"),
    RETRIED("retried"),
    DEAD_LETTERED("dead-lettered"),
    // The partition went to another replica meanwhile, which delivers the event again.
    REVOKED("revoked");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final Span span;
  private final String traceparent;
  private final String tracestate;

  AttemptSpan(Span span) {
    this.span = span;
    Map<String, String> headers = EventTraceContext.headers(span);
    this.traceparent = headers.get(EventTraceContext.TRACEPARENT);
    this.tracestate = headers.get(EventTraceContext.TRACESTATE);
  }

  public String traceparent() {
    return traceparent;
  }

  /** The {@code tracestate} that goes with {@link #traceparent()}, or null. */
  public String tracestate() {
    return tracestate;
  }

  /** Makes the span current on this thread until the scope is closed, e.g. while the outcome is recorded. */
  public Scope makeCurrent() {
    return span.makeCurrent();
  }

  /** The event with this attempt's context as its Distributed Tracing extension. */
  public CloudEvent carriedBy(CloudEvent event) {
    CloudEventBuilder builder = CloudEventBuilder.from(event)
        .withoutExtension(EventTraceContext.TRACESTATE)
        .withExtension(EventTraceContext.TRACEPARENT, traceparent);
    if (tracestate != null) {
      builder.withExtension(EventTraceContext.TRACESTATE, tracestate);
    }
    return builder.build();
  }

  /** Puts this span's context in a record's headers, {@code traceparent} and {@code tracestate}, replacing those there. */
  public void carriedBy(Headers headers) {
    headers.remove(EventTraceContext.TRACEPARENT);
    headers.remove(EventTraceContext.TRACESTATE);
    headers.add(EventTraceContext.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    if (tracestate != null) {
      headers.add(EventTraceContext.TRACESTATE, tracestate.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Ends the span; a failure, when not null, is recorded on it and marks it as an error. */
  public void end(Outcome outcome, Throwable failure) {
    span.setAttribute(MessagingAttributes.OUTCOME, outcome.label);
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }
}
