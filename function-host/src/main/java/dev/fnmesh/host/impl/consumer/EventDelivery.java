package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.Replies;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.TriggerStats.Attempt;
import dev.fnmesh.host.TriggerStats.Outcome;
import dev.fnmesh.host.impl.consumer.DeadLetters.Reason;
import dev.fnmesh.host.logs.FunctionLogEntry;
import dev.fnmesh.host.logs.FunctionLogs;
import dev.fnmesh.host.logs.LogFields;
import dev.fnmesh.host.tracing.AttemptSpan;
import dev.fnmesh.host.tracing.DeliveryTracing;
import io.cloudevents.CloudEvent;
import io.opentelemetry.context.Scope;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Takes one record to its end under the trigger's delivery policy: filter, data check, attempts with
 * backoff on timers, then the replies (all of them, before the offset is finished) or the dead letter, which {@link OutcomeWrites} makes durable. A record
 * that is no CloudEvent goes to the dead-letter topic as it is. Whatever happens, the record ends finished
 * or handed to the partition's next owner: nothing here may leave an offset open for good. Runs on the
 * trigger's context. Each failed attempt is recorded in the function's recent log ({@link FunctionLogs}). The
 * records of a batch ({@link BatchDelivery}) come in through {@link #admit} and end through {@link #settle}.
 */
final class EventDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);

  private final TriggerSettings settings;
  private final DeliverySettings delivery;
  private final HostedFunction function;
  private final EventPublisher publisher;
  private final OffsetTracker tracker;
  private final OutcomeWrites writes;
  private final TriggerStats stats;
  private final Context context;
  private final FunctionLogs logs;
  // Null when the trigger does not trace: then an attempt costs a null check, nothing more.
  private final DeliveryTracing tracing;

  EventDelivery(TriggerSettings settings, HostedFunction function, EventPublisher publisher, OffsetTracker tracker,
      OutcomeWrites writes, TriggerStats stats, Context context) {
    this(settings, function, publisher, tracker, writes, stats, context, null);
  }

  /** @param tracing the spans of the trigger's attempts, or null when it does not trace */
  EventDelivery(TriggerSettings settings, HostedFunction function, EventPublisher publisher, OffsetTracker tracker,
      OutcomeWrites writes, TriggerStats stats, Context context, DeliveryTracing tracing) {
    this.tracing = tracing;
    this.settings = settings;
    this.delivery = settings.delivery();
    this.function = function;
    this.publisher = publisher;
    this.tracker = tracker;
    this.writes = writes;
    this.stats = stats;
    this.context = context;
    this.logs = FunctionLogs.of(context.owner());
  }

  /**
   * Never throws and never fails: a fault of fnmesh's own while handling the record (a filter, a data
   * check or a function host that throws) sends the record as it is to the dead-letter topic with the
   * code {@code internal-error}, so its partition still moves on.
   *
   * @return a future completed when the partition may move on: the outcome is decided and its write issued
   *     (the offset is finished later, when the write is acknowledged)
   */
  Future<Void> handle(ConsumerRecord<byte[], byte[]> record) {
    stats.received();
    Future<Void> handled;
    try {
      handled = deliver(record);
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    return handled.recover(failure -> internalError(record, failure));
  }

  /**
   * Takes a record of a batch as far as its invocation: a record that is no CloudEvent, that the filter drops or
   * whose data is invalid ends here. Never throws, as {@link #handle}.
   *
   * @return the event to invoke the function with, or null when the record ended here
   */
  CloudEvent admit(ConsumerRecord<byte[], byte[]> record) {
    stats.received();
    try {
      return admitted(record);
    } catch (RuntimeException e) {
      internalError(record, e);
      return null;
    }
  }

  /** The number of the event's next attempt: an event retried before its partition moved here goes on counting. */
  int nextAttempt(TopicPartition partition, ConsumerRecord<?, ?> record) {
    return tracker.retries().failedBefore(partition, record.offset()) + 1;
  }

  /**
   * Ends one attempt of the event made by a batch invocation as {@link #handle} ends its own: the reply written,
   * a retry alone (as a batch of one) on a timer, or the dead letter. Never throws and never fails.
   *
   * @param started when the attempt began ({@link System#nanoTime})
   * @param span the attempt's span, ended here; null when the trigger does not trace
   * @return a future completed when the partition may move past the event
   */
  Future<Void> settle(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event, int attempt,
      AsyncResult<Replies> outcome, long started, AttemptSpan span) {
    Future<Void> settled;
    try {
      settled = span == null ? afterAttempt(record, partition, event, attempt, outcome, started, null)
          : current(span, () -> afterAttempt(record, partition, event, attempt, outcome, started, span));
    } catch (RuntimeException e) {
      settled = Future.failedFuture(e);
    }
    return settled.recover(failure -> internalError(record, failure));
  }

  /** Notes in the function's recent log a failure that concerns the event {@code eventId}, such as its batch's. */
  void noteFailure(String eventId, String message) {
    logs.record(FunctionLogEntry.failure(function.name(), Optional.of(settings.name()), eventId, message));
  }

  private Future<Void> internalError(ConsumerRecord<byte[], byte[]> record, Throwable failure) {
    LogFields.trigger(settings.name()).on(LOG.atError()).setCause(failure)
        .log("handling failed partition={} offset={}", partitionOf(record), record.offset());
    deadLetterRecord(record, Reason.INTERNAL_ERROR, failure.toString(), null);
    return Future.succeededFuture();
  }

  private Future<Void> deliver(ConsumerRecord<byte[], byte[]> record) {
    CloudEvent event = admitted(record);
    if (event == null) {
      return Future.succeededFuture();
    }
    TopicPartition partition = partitionOf(record);
    return attempt(record, partition, event, nextAttempt(partition, record));
  }

  /** @return the event, or null when the record ended here: no CloudEvent, filtered out, or with invalid data */
  private CloudEvent admitted(ConsumerRecord<byte[], byte[]> record) {
    CloudEvent event;
    try {
      event = CloudEventRecords.fromRecord(record);
    } catch (RuntimeException e) {
      // The SDK refuses in several ways: CloudEventRWException, its JSON format's EventDeserializationException,
      // a builder's IllegalStateException for a missing attribute. Any of them means: no CloudEvent.
      LogFields.trigger(settings.name()).on(LOG.atWarn()).log("record is no CloudEvent partition={} offset={} cause={}",
          partitionOf(record), record.offset(), e.toString());
      AttemptSpan span = tracing == null ? null : tracing.startedWithoutEvent(record);
      deadLetterRecord(record, Reason.NOT_A_CLOUDEVENT, e.getMessage(), span);
      if (span != null) {
        span.end(AttemptSpan.Outcome.DEAD_LETTERED, e);
      }
      return null;
    }
    TopicPartition partition = partitionOf(record);
    if (!settings.filter().test(event)) {
      stats.filtered();
      tracker.finish(partition, record.offset());
      return null;
    }
    Optional<String> invalid = settings.dataCheck().apply(event);
    if (invalid.isPresent()) {
      deadLetter(record, partition, event, Reason.INVALID_DATA, invalid.get(), 0);
      return null;
    }
    return event;
  }

  private Future<Void> attempt(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event, int attempt) {
    long started = System.nanoTime();
    AttemptSpan span = tracing == null ? null : tracing.started(record, event, attempt);
    // A Java function is called synchronously here: its own log lines carry the delivery's fields.
    return fields(event).within(() -> invoke(event, span))
        .transform(outcome -> span == null ? afterAttempt(record, partition, event, attempt, outcome, started, null)
            : current(span, () -> afterAttempt(record, partition, event, attempt, outcome, started, span)));
  }

  // A trigger that delivers batches retries an event alone as a batch of one, in the batch framing its function reads.
  private Future<Replies> invoke(CloudEvent event, AttemptSpan span) {
    String traceparent = span == null ? null : span.traceparent();
    String tracestate = span == null ? null : span.tracestate();
    if (delivery.batch().isPresent()) {
      stats.batched(1);
      return function.invokeBatch(List.of(event), delivery.timeout(), traceparent, tracestate)
          .compose(results -> BatchDelivery.outcome(event, results));
    }
    return function.invoke(event, delivery.timeout(), traceparent, tracestate);
  }

  // Current while the outcome is recorded, so what records it (an exemplar, a log line) sees the span.
  private static Future<Void> current(AttemptSpan span, Supplier<Future<Void>> action) {
    try (Scope current = span.makeCurrent()) {
      return action.get();
    }
  }

  /**
   * @param started when the attempt began ({@link System#nanoTime})
   * @param span the attempt's span, ended here; null when the trigger does not trace
   */
  private Future<Void> afterAttempt(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event,
      int attempt, AsyncResult<Replies> outcome, long started, AttemptSpan span) {
    stats.attempted(outcome.succeeded() ? Attempt.SUCCEEDED : Attempt.of(outcome.cause()), System.nanoTime() - started);
    if (outcome.succeeded()) {
      Replies replies = outcome.result();
      if (span != null) {
        span.end(AttemptSpan.Outcome.SUCCEEDED, null);
      }
      List<OutcomeWrites.Write> writes = replies.isEmpty() || settings.replies().isEmpty()
          ? List.of() : replyWrites(record, event, replies, span);
      if (writes.isEmpty()) {
        tracker.finish(partition, record.offset());
        stats.ended(Outcome.SUCCEEDED, record.timestamp());
      } else {
        this.writes.reply(partition, record, OutcomeWrites.Write.all("replies", writes));
      }
      return Future.succeededFuture();
    }
    Throwable cause = outcome.cause();
    logs.record(FunctionLogEntry.failure(function.name(), Optional.of(settings.name()), event.getId(),
        "attempt " + attempt + " failed: " + describe(cause)));
    if (!tracker.owns(partition)) {
      if (span != null) {
        span.end(AttemptSpan.Outcome.REVOKED, cause);
      }
      // Revoked meanwhile: the new owner reads the event again, retries and dead-letters it itself.
      fields(event).on(LOG.atInfo()).log("attempt failed on a partition no longer owned, left to its new owner"
          + " partition={} offset={}", partition, record.offset());
      return Future.succeededFuture();
    }
    boolean permanent = cause instanceof PermanentFailure;
    if (!permanent && attempt <= delivery.retry()) {
      tracker.retries().failed(partition, record.offset(), attempt);
      stats.retried();
      if (span != null) {
        span.end(AttemptSpan.Outcome.RETRIED, cause);
      }
      long delay = Math.max(1, delivery.delayBefore(attempt).toMillis());
      fields(event).on(LOG.atInfo()).log("retrying partition={} offset={} attempt={} delayMs={} cause={}", partition,
          record.offset(), attempt + 1, delay, cause.toString());
      Promise<Void> done = Promise.promise();
      context.owner().setTimer(delay, id -> {
        // Moved meanwhile: its new owner makes the next attempt, counting this one (see RetryLedger).
        if (!tracker.owns(partition)) {
          done.complete();
          return;
        }
        attempt(record, partition, event, attempt + 1).onComplete(done);
      });
      return done.future();
    }
    Reason reason = permanent ? Reason.PERMANENT_FAILURE
        : cause instanceof TimeoutException ? Reason.TIMEOUT : Reason.FUNCTION_FAILED;
    if (span != null) {
      span.end(AttemptSpan.Outcome.DEAD_LETTERED, cause);
    }
    deadLetter(record, partition, span == null ? event : span.carriedBy(event), reason, cause.getMessage(), attempt);
    return Future.succeededFuture();
  }

  /** One write per reply and topic its routes send it to; a reply no route takes is counted, not written. */
  private List<OutcomeWrites.Write> replyWrites(ConsumerRecord<byte[], byte[]> record, CloudEvent event, Replies replies,
      AttemptSpan span) {
    List<OutcomeWrites.Write> writes = new ArrayList<>(replies.size());
    for (CloudEvent answer : replies.events()) {
      List<String> topics = settings.replies().topicsFor(answer);
      if (topics.isEmpty()) {
        stats.unrouted();
        continue;
      }
      // A traced reply carries the attempt's context, so the next trigger continues this trace.
      CloudEvent reply = span == null ? answer : span.carriedBy(answer);
      for (String topic : topics) {
        // An event answered with itself is passed on as it was read, not encoded again.
        writes.add(OutcomeWrites.Write.of("reply", topic, () -> reply == event
            ? publisher.sendRecord(CloudEventRecords.forward(topic, reply, record, record.key()))
            : publisher.send(topic, reply, record.key())));
      }
    }
    return writes;
  }

  /** @param event the event as read, or with the context of its last attempt when traced */
  private void deadLetter(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event,
      Reason reason, String message, int attempts) {
    fields(event).on(LOG.atWarn()).log("dead letter partition={} offset={} reason={} attempts={} cause={}",
        partition, record.offset(), reason.code, attempts, message);
    stats.deadLettered(reason.code);
    String topic = delivery.deadLetterTopic();
    CloudEvent letter = DeadLetters.event(event, record, reason, message, settings.name(), function.name(), attempts);
    writes.deadLetter(partition, record, new OutcomeWrites.Write("dead letter", topic,
        () -> publisher.send(topic, letter, record.key()),
        Optional.of(OutcomeWrites.Write.of("dead letter without its data", topic,
            () -> publisher.send(topic, DeadLetters.truncated(letter, record), record.key())))));
  }

  /** @param span the span of the record's handling, whose context the dead letter carries; null for none */
  private void deadLetterRecord(ConsumerRecord<byte[], byte[]> record, Reason reason, String message, AttemptSpan span) {
    stats.deadLettered(reason.code);
    String topic = delivery.deadLetterTopic();
    ProducerRecord<byte[], byte[]> letter = DeadLetters.record(record, topic, reason, message, settings.name());
    if (span != null) {
      span.carriedBy(letter.headers());
    }
    writes.deadLetter(partitionOf(record), record, new OutcomeWrites.Write("dead letter", topic,
        () -> publisher.sendRecord(letter),
        Optional.of(OutcomeWrites.Write.of("dead letter without its data", topic,
            () -> publisher.sendRecord(DeadLetters.truncated(letter, record))))));
  }

  private LogFields fields(CloudEvent event) {
    return LogFields.delivery(settings.name(), function.name(), event);
  }

  private static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.toString() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }
}
