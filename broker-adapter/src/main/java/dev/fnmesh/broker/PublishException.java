package dev.fnmesh.broker;

import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** An event could not be made durable in Kafka; nothing about it may be acknowledged. */
public final class PublishException extends RuntimeException {

  /** Why, in the terms a client acts on. */
  public enum Kind {
    /**
     * Kafka takes events slower than they arrive: the producer's buffer is full, or every transactional
     * producer has as many batches waiting as it may. Nothing was written; retrying shortly may succeed.
     */
    BUSY,
    /** An event is larger than Kafka takes (the producer's max.request.size or the topic's max.message.bytes). */
    TOO_LARGE,
    /** Kafka did not acknowledge: unreachable, too slow, or it refused the write. */
    NOT_ACKNOWLEDGED
  }

  private final Kind kind;

  public PublishException(String topic, Throwable cause) {
    super("could not write to Kafka topic '" + topic + "': " + cause.getMessage(), cause);
    this.kind = kindOf(cause);
  }

  private PublishException(String topic, String reason, Kind kind) {
    super("could not write to Kafka topic '" + topic + "': " + reason);
    this.kind = kind;
  }

  /** Refused before anything was handed to Kafka, because too much already waits for it. */
  public static PublishException busy(String topic, String reason) {
    return new PublishException(topic, reason, Kind.BUSY);
  }

  public Kind kind() {
    return kind;
  }

  private static Kind kindOf(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof PublishException published) {
        return published.kind;
      }
      if (t instanceof BufferExhaustedException) {
        return Kind.BUSY;
      }
      if (t instanceof RecordTooLargeException) {
        return Kind.TOO_LARGE;
      }
    }
    return Kind.NOT_ACKNOWLEDGED;
  }
}
