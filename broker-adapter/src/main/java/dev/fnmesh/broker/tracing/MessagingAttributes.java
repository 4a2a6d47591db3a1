package dev.fnmesh.broker.tracing;

import io.cloudevents.CloudEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;

/**
 * The attribute names of the OpenTelemetry messaging and CloudEvents semantic conventions (1.27 and later:
 * {@code messaging.destination.partition.id}, {@code messaging.kafka.offset}), and fnmesh's own.
 */
public final class MessagingAttributes {

  public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
  public static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  public static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
  public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
  public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");
  public static final AttributeKey<String> EVENT_SOURCE = AttributeKey.stringKey("cloudevents.event_source");
  public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
  public static final AttributeKey<String> TRIGGER = AttributeKey.stringKey("fnmesh.trigger");
  public static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("fnmesh.function");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("fnmesh.attempt");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("fnmesh.outcome");

  private MessagingAttributes() {}

  /** A Kafka producer span's attributes for one event. */
  public static SpanBuilder producer(SpanBuilder builder, String topic, String operation, CloudEvent event) {
    return builder.setAttribute(SYSTEM, "kafka")
        .setAttribute(OPERATION_TYPE, operation)
        .setAttribute(OPERATION_NAME, operation)
        .setAttribute(DESTINATION, topic)
        .setAttribute(EVENT_ID, event.getId())
        .setAttribute(EVENT_SOURCE, event.getSource().toString())
        .setAttribute(EVENT_TYPE, event.getType());
  }
}
