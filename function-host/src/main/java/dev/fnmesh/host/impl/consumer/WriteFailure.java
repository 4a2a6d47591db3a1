package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;

/** Why Kafka did not take a reply or dead letter, by what may make it succeed. */
enum WriteFailure {

  /** A broker away, a leader moving, a timeout: the same write succeeds later. */
  RETRIABLE,
  /** The record is over the producer's or the topic's size limit: it never succeeds as it is. */
  TOO_LARGE,
  /**
   * Kafka refuses the write and will go on refusing it until someone acts (not authorized, an invalid
   * topic, a record the topic's configuration forbids), or the record could not even be made.
   */
  REFUSED;

  /** Classifies a failed write by the Kafka error under it. */
  static WriteFailure of(Throwable failure) {
    Throwable kafka = kafkaCause(failure);
    if (kafka == null) {
      // No Kafka error: making the record failed (an event that cannot be encoded), and it would again.
      return REFUSED;
    }
    if (kafka instanceof RecordTooLargeException || kafka instanceof RecordBatchTooLargeException) {
      return TOO_LARGE;
    }
    // An ApiException is the broker's or client's answer about this request; a non-retriable one repeats.
    if (kafka instanceof ApiException && !(kafka instanceof RetriableException)) {
      return REFUSED;
    }
    return RETRIABLE;
  }

  /** The Kafka error's class and message, or the failure's own when there is none: for logs and status. */
  static String describe(Throwable failure) {
    Throwable cause = kafkaCause(failure);
    Throwable shown = cause != null ? cause : failure;
    return shown.getClass().getSimpleName() + ": " + shown.getMessage();
  }

  // Failures come wrapped (PublishException, CompletionException, a KafkaException around the error the
  // broker answered): the most specific Kafka error in the chain decides.
  private static Throwable kafkaCause(Throwable failure) {
    Throwable kafka = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof ApiException) {
        return cause;
      }
      if (kafka == null && cause instanceof KafkaException) {
        kafka = cause;
      }
    }
    return kafka;
  }
}
