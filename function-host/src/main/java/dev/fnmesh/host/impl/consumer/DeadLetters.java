package dev.fnmesh.host.impl.consumer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * What goes to a dead-letter topic: the event unchanged plus extensions that say why, or, for a record
 * that is no CloudEvent, the record unchanged plus headers that say why.
 */
final class DeadLetters {

  static final String ERROR_CODE = "fnmesherrorcode";
  static final String ERROR = "fnmesherror";
  static final String FUNCTION = "fnmeshfunction";
  static final String ATTEMPTS = "fnmeshattempts";
  static final String TRIGGER = "fnmeshtrigger";
  private static final int MAX_MESSAGE = 256;

  private DeadLetters() {}

  /** Why an event is dead-lettered. */
  enum Reason {
    FUNCTION_FAILED("function-failed"),
    TIMEOUT("timeout"),
    PERMANENT_FAILURE("permanent-failure"),
    INVALID_DATA("invalid-data"),
    NOT_A_CLOUDEVENT("not-a-cloudevent");

    final String code;

    Reason(String code) {
      this.code = code;
    }
  }

  static CloudEvent event(CloudEvent event, Reason reason, String message, String trigger, String function, int attempts) {
    return CloudEventBuilder.from(event)
        .withExtension(ERROR_CODE, reason.code)
        .withExtension(ERROR, shorten(message))
        .withExtension(FUNCTION, function)
        .withExtension(ATTEMPTS, attempts)
        .withExtension(TRIGGER, trigger)
        .build();
  }

  static ProducerRecord<byte[], byte[]> record(ConsumerRecord<byte[], byte[]> record, String topic, String message,
      String trigger) {
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
    copy.headers().add("fnmesh_errorcode", Reason.NOT_A_CLOUDEVENT.code.getBytes(StandardCharsets.UTF_8));
    copy.headers().add("fnmesh_error", shorten(message).getBytes(StandardCharsets.UTF_8));
    copy.headers().add("fnmesh_trigger", trigger.getBytes(StandardCharsets.UTF_8));
    copy.headers().add("fnmesh_origin", (record.topic() + "/" + record.partition() + "/" + record.offset())
        .getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  private static String shorten(String message) {
    String text = message == null ? "unknown" : message;
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
