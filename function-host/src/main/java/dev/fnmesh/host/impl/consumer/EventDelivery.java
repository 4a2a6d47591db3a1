package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.PublishException;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.impl.consumer.DeadLetters.Reason;
import io.cloudevents.CloudEvent;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Takes one record to its end under the trigger's delivery policy: filter, data check, attempts with
 * backoff on timers, then the reply or the dead letter. An offset is finished only once its outcome is
 * durable in Kafka; a write that fails is retried, never dropped. Runs on the trigger's context.
 */
final class EventDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(EventDelivery.class);
  private static final long WRITE_RETRY_MS = 1000;

  private final TriggerSettings settings;
  private final DeliverySettings delivery;
  private final HostedFunction function;
  private final EventPublisher publisher;
  private final OffsetTracker tracker;
  private final TriggerStats stats;
  private final Context context;

  EventDelivery(TriggerSettings settings, HostedFunction function, EventPublisher publisher, OffsetTracker tracker,
      TriggerStats stats, Context context) {
    this.settings = settings;
    this.delivery = settings.delivery();
    this.function = function;
    this.publisher = publisher;
    this.tracker = tracker;
    this.stats = stats;
    this.context = context;
  }

  /**
   * @return a future completed when the partition may move on: the outcome is decided and its write issued
   *     (the offset is finished later, when the write is acknowledged); it never fails
   */
  Future<Void> handle(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    stats.received();
    CloudEvent event;
    try {
      event = CloudEventRecords.fromRecord(record);
    } catch (CloudEventRWException e) {
      LOG.warn("record is no CloudEvent trigger={} partition={} offset={} cause={}", settings.name(), partition,
          record.offset(), e.getMessage());
      stats.deadLettered();
      writeUntilAcknowledged(() -> publisher.sendRecord(
          DeadLetters.record(record, delivery.deadLetterTopic(), e.getMessage(), settings.name())), partition, record.offset());
      return Future.succeededFuture();
    }
    if (!settings.filter().test(event)) {
      stats.filtered();
      tracker.finish(partition, record.offset());
      return Future.succeededFuture();
    }
    Optional<String> invalid = settings.dataCheck().apply(event);
    if (invalid.isPresent()) {
      deadLetter(record, partition, event, Reason.INVALID_DATA, invalid.get(), 0);
      return Future.succeededFuture();
    }
    return attempt(record, partition, event, 1);
  }

  private CompletionStage<Void> forward(String topic, CloudEvent event, ConsumerRecord<byte[], byte[]> record) {
    try {
      return publisher.sendRecord(CloudEventRecords.forward(topic, event, record, record.key()));
    } catch (RuntimeException e) {
      // A write that cannot even be made fails like one Kafka refused: retried, never stalling the partition.
      return CompletableFuture.failedFuture(new PublishException(topic, e));
    }
  }

  private Future<Void> attempt(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event, int attempt) {
    return function.invoke(event, delivery.timeout())
        .transform(outcome -> afterAttempt(record, partition, event, attempt, outcome));
  }

  private Future<Void> afterAttempt(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event,
      int attempt, AsyncResult<CloudEvent> outcome) {
    if (outcome.succeeded()) {
      stats.succeeded();
      CloudEvent reply = outcome.result();
      if (reply == null || settings.replyTopic().isEmpty()) {
        tracker.finish(partition, record.offset());
      } else {
        String topic = settings.replyTopic().get();
        // An event answered with itself is passed on as it was read, not encoded again.
        writeUntilAcknowledged(() -> reply == event ? forward(topic, reply, record)
            : publisher.send(topic, reply, record.key()), partition, record.offset());
      }
      return Future.succeededFuture();
    }
    Throwable cause = outcome.cause();
    boolean permanent = cause instanceof PermanentFailure;
    if (!permanent && attempt <= delivery.retry() && tracker.owns(partition)) {
      stats.retried();
      long delay = Math.max(1, delivery.delayBefore(attempt).toMillis());
      LOG.info("retrying trigger={} partition={} offset={} attempt={} delayMs={} cause={}", settings.name(), partition,
          record.offset(), attempt + 1, delay, cause.toString());
      Promise<Void> done = Promise.promise();
      context.owner().setTimer(delay, id -> attempt(record, partition, event, attempt + 1).onComplete(done));
      return done.future();
    }
    Reason reason = permanent ? Reason.PERMANENT_FAILURE
        : cause instanceof TimeoutException ? Reason.TIMEOUT : Reason.FUNCTION_FAILED;
    deadLetter(record, partition, event, reason, cause.getMessage(), attempt);
    return Future.succeededFuture();
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, CloudEvent event,
      Reason reason, String message, int attempts) {
    LOG.warn("dead letter trigger={} function={} partition={} offset={} id={} reason={} attempts={} cause={}",
        settings.name(), function.name(), partition, record.offset(), event.getId(), reason.code, attempts, message);
    stats.deadLettered();
    CloudEvent letter = DeadLetters.event(event, reason, message, settings.name(), function.name(), attempts);
    writeUntilAcknowledged(() -> publisher.send(delivery.deadLetterTopic(), letter, record.key()), partition,
        record.offset());
  }

  // The offset stays unfinished until the write is acknowledged, so nothing after it is committed meanwhile.
  private void writeUntilAcknowledged(Supplier<CompletionStage<Void>> write, TopicPartition partition, long offset) {
    write.get().whenComplete((ok, failure) -> {
      if (failure == null) {
        tracker.finish(partition, offset);
        return;
      }
      LOG.warn("write failed, retrying trigger={} partition={} offset={} cause={}", settings.name(), partition, offset,
          failure.getMessage());
      context.runOnContext(v -> context.owner().setTimer(WRITE_RETRY_MS, id -> {
        if (tracker.owns(partition)) {
          writeUntilAcknowledged(write, partition, offset);
        }
      }));
    });
  }
}
