package dev.fnmesh.host.tracing;

import dev.fnmesh.broker.tracing.EventTraceContext;
import dev.fnmesh.broker.tracing.MessagingAttributes;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.host.TriggerSettings;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * The spans of one trigger's deliveries: a CONSUMER span per delivery attempt ({@code process <topic>}, as the
 * messaging conventions name the processing of one message), the child of the context the event carries in
 * its Distributed Tracing extension, or the root of a trace when it carries none; and a span per batch
 * invocation, linked to its events' contexts. Built only when tracing is
 * on: a trigger that does not trace holds null instead, so a delivery costs a null check.
 */
public final class DeliveryTracing {

  private final Tracer tracer;
  private final TriggerSettings settings;
  private final String function;

  private DeliveryTracing(Tracer tracer, TriggerSettings settings, String function) {
    this.tracer = tracer;
    this.settings = settings;
    this.function = function;
  }

  /** The tracing of the trigger's deliveries, or null when {@code tracing} is off. */
  public static DeliveryTracing of(Tracing tracing, TriggerSettings settings, String function) {
    return tracing.on() ? new DeliveryTracing(tracing.tracer(), settings, function) : null;
  }

  /**
   * Starts the span of handling a record that is no CloudEvent, which goes to the dead-letter topic as it is: the
   * child of the W3C {@code traceparent} header the record carries, or the root of a trace.
   */
  public AttemptSpan startedWithoutEvent(ConsumerRecord<?, ?> record) {
    Span span = tracer.spanBuilder("process " + record.topic())
        .setParent(EventTraceContext.parent(Context.root(), record.headers()))
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(MessagingAttributes.SYSTEM, "kafka")
        .setAttribute(MessagingAttributes.OPERATION_TYPE, "process")
        .setAttribute(MessagingAttributes.OPERATION_NAME, "process")
        .setAttribute(MessagingAttributes.DESTINATION, record.topic())
        .setAttribute(MessagingAttributes.PARTITION, Integer.toString(record.partition()))
        .setAttribute(MessagingAttributes.OFFSET, record.offset())
        .setAttribute(MessagingAttributes.CONSUMER_GROUP, settings.groupId())
        .setAttribute(MessagingAttributes.TRIGGER, settings.name())
        .setAttribute(MessagingAttributes.FUNCTION, function)
        .startSpan();
    return new AttemptSpan(span);
  }

  /**
   * Starts the span of one invocation with a batch of events of one partition: the root of a trace of its own,
   * linked to the context each event carries, since a span has one parent and the events many. Each event's
   * attempt still has its own span ({@link #started}), the child of that event's context.
   */
  public AttemptSpan startedBatch(String topic, int partition, List<CloudEvent> events) {
    SpanBuilder builder = tracer.spanBuilder("process " + topic)
        .setNoParent()
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(MessagingAttributes.SYSTEM, "kafka")
        .setAttribute(MessagingAttributes.OPERATION_TYPE, "process")
        .setAttribute(MessagingAttributes.OPERATION_NAME, "process")
        .setAttribute(MessagingAttributes.DESTINATION, topic)
        .setAttribute(MessagingAttributes.PARTITION, Integer.toString(partition))
        .setAttribute(MessagingAttributes.BATCH_COUNT, (long) events.size())
        .setAttribute(MessagingAttributes.CONSUMER_GROUP, settings.groupId())
        .setAttribute(MessagingAttributes.TRIGGER, settings.name())
        .setAttribute(MessagingAttributes.FUNCTION, function);
    for (CloudEvent event : events) {
      SpanContext carried = Span.fromContext(EventTraceContext.parent(Context.root(), event)).getSpanContext();
      if (carried.isValid()) {
        builder.addLink(carried);
      }
    }
    return new AttemptSpan(builder.startSpan());
  }

  /** Starts the span of one attempt to deliver {@code event}, read from {@code record}. */
  public AttemptSpan started(ConsumerRecord<?, ?> record, CloudEvent event, int attempt) {
    Span span = tracer.spanBuilder("process " + record.topic())
        .setParent(EventTraceContext.parent(Context.root(), event))
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(MessagingAttributes.SYSTEM, "kafka")
        .setAttribute(MessagingAttributes.OPERATION_TYPE, "process")
        .setAttribute(MessagingAttributes.OPERATION_NAME, "process")
        .setAttribute(MessagingAttributes.DESTINATION, record.topic())
        .setAttribute(MessagingAttributes.PARTITION, Integer.toString(record.partition()))
        .setAttribute(MessagingAttributes.OFFSET, record.offset())
        .setAttribute(MessagingAttributes.CONSUMER_GROUP, settings.groupId())
        .setAttribute(MessagingAttributes.EVENT_ID, event.getId())
        .setAttribute(MessagingAttributes.EVENT_SOURCE, event.getSource().toString())
        .setAttribute(MessagingAttributes.EVENT_TYPE, event.getType())
        .setAttribute(MessagingAttributes.TRIGGER, settings.name())
        .setAttribute(MessagingAttributes.FUNCTION, function)
        .setAttribute(MessagingAttributes.ATTEMPT, (long) attempt)
        .startSpan();
    return new AttemptSpan(span);
  }
}
