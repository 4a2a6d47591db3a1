package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.host.deadletters.DeadLetterFields;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * What goes to a dead-letter topic: the event unchanged (its trace context included: the last attempt's, when
 * the trigger traces) plus extensions that say why and where it was read, or, for a record that is no CloudEvent, the record unchanged plus headers that say the same. A
 * dead letter the topic refuses as too large is written again with its data replaced by a note.
 */
final class DeadLetters {

  static final String ERROR_CODE = DeadLetterFields.ERROR_CODE;
  static final String ERROR = DeadLetterFields.ERROR;
  static final String FUNCTION = DeadLetterFields.FUNCTION;
  static final String ATTEMPTS = DeadLetterFields.ATTEMPTS;
  static final String TRIGGER = DeadLetterFields.TRIGGER;
  static final String ORIGIN_TOPIC = DeadLetterFields.ORIGIN_TOPIC;
  static final String ORIGIN_PARTITION = DeadLetterFields.ORIGIN_PARTITION;
  static final String ORIGIN_OFFSET = DeadLetterFields.ORIGIN_OFFSET;
  static final String TRUNCATED = DeadLetterFields.TRUNCATED;
  static final String ERROR_CODE_HEADER = "fnmesh_errorcode";
  static final String ORIGIN_TOPIC_HEADER = DeadLetterFields.header(ORIGIN_TOPIC);
  static final String TRUNCATED_HEADER = "fnmesh_truncated";
  private static final int MAX_MESSAGE = 256;

  private DeadLetters() {}

  /** Why an event is dead-lettered. */
  enum Reason {
    FUNCTION_FAILED("function-failed"),
    TIMEOUT("timeout"),
    PERMANENT_FAILURE("permanent-failure"),
    INVALID_DATA("invalid-data"),
    NOT_A_CLOUDEVENT("not-a-cloudevent"),
    // fnmesh itself failed to handle the record: a bug, reported with the record as it was read.
    INTERNAL_ERROR("internal-error");

    final String code;

    Reason(String code) {
      this.code = code;
    }
  }

  static CloudEvent event(CloudEvent event, ConsumerRecord<?, ?> from, Reason reason, String message, String trigger,
      String function, int attempts) {
    return CloudEventBuilder.from(event)
        .withExtension(ORIGIN_TOPIC, from.topic())
        .withExtension(ORIGIN_PARTITION, from.partition())
        .withExtension(ORIGIN_OFFSET, String.valueOf(from.offset()))
        .withExtension(ERROR_CODE, reason.code)
        .withExtension(ERROR, shorten(message))
        .withExtension(FUNCTION, function)
        .withExtension(ATTEMPTS, attempts)
        .withExtension(TRIGGER, trigger)
        .build();
  }

  static ProducerRecord<byte[], byte[]> record(ConsumerRecord<byte[], byte[]> record, String topic, Reason reason,
      String message, String trigger) {
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers());
    copy.headers().add(ERROR_CODE_HEADER, reason.code.getBytes(StandardCharsets.UTF_8));
    copy.headers().add("fnmesh_error", shorten(message).getBytes(StandardCharsets.UTF_8));
    copy.headers().add("fnmesh_trigger", trigger.getBytes(StandardCharsets.UTF_8));
    copy.headers().add(ORIGIN_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
    copy.headers().add(DeadLetterFields.header(ORIGIN_PARTITION),
        String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
    copy.headers().add(DeadLetterFields.header(ORIGIN_OFFSET),
        String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  /**
   * The dead letter without its data, when the topic refused it as too large: the attributes and error
   * extensions stay, the data becomes a note naming its size and where the event can still be read.
   */
  static CloudEvent truncated(CloudEvent letter, ConsumerRecord<?, ?> from) {
    int size = letter.getData() == null ? 0 : letter.getData().toBytes().length;
    return CloudEventBuilder.from(letter)
        .withoutDataSchema()
        .withData("text/plain", note(size, from))
        .withExtension(TRUNCATED, size)
        .build();
  }

  /** The record that is no CloudEvent, without its value, when the topic refused it as too large. */
  static ProducerRecord<byte[], byte[]> truncated(ProducerRecord<byte[], byte[]> letter, ConsumerRecord<?, ?> from) {
    int size = letter.value() == null ? 0 : letter.value().length;
    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(letter.topic(), null, letter.key(), note(size, from),
        letter.headers());
    copy.headers().add(TRUNCATED_HEADER, String.valueOf(size).getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  private static byte[] note(int size, ConsumerRecord<?, ?> from) {
    return ("data removed: " + size + " bytes, too large for the dead-letter topic; the original is at "
        + origin(from)).getBytes(StandardCharsets.UTF_8);
  }

  private static String origin(ConsumerRecord<?, ?> record) {
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  private static String shorten(String message) {
    String text = message == null ? "unknown" : message;
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
