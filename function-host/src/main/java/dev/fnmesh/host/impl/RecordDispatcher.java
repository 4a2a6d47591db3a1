package dev.fnmesh.host.impl;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerSettings;
import io.cloudevents.CloudEvent;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands fetched records to the function in offset order, one at a time per partition, on the trigger's
 * event loop; publishes each reply and marks the offset finished once the reply is durable. Partitions
 * proceed independently. Confined to the trigger's context: every method runs on its event loop.
 */
final class RecordDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RecordDispatcher.class);

  private final TriggerSettings settings;
  private final HostedFunction function;
  private final EventPublisher publisher;
  private final OffsetTracker tracker;
  private final Context context;
  private final Map<TopicPartition, PartitionQueue> queues = new HashMap<>();

  RecordDispatcher(TriggerSettings settings, HostedFunction function, EventPublisher publisher,
      OffsetTracker tracker, Context context) {
    this.settings = settings;
    this.function = function;
    this.publisher = publisher;
    this.tracker = tracker;
    this.context = context;
  }

  void dispatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      PartitionQueue queue = queues.computeIfAbsent(partition, PartitionQueue::new);
      queue.records.addAll(records.records(partition));
      if (!queue.busy) {
        drain(queue);
      }
    }
  }

  /** Drops what is queued for partitions this replica lost; their events will be redelivered to the new owner. */
  void revoke(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      PartitionQueue queue = queues.remove(partition);
      if (queue != null) {
        queue.records.clear();
        queue.revoked = true;
      }
    }
  }

  // A loop rather than recursion: functions that answer synchronously would otherwise grow the stack
  // by one frame per record.
  private void drain(PartitionQueue queue) {
    queue.busy = true;
    while (!queue.revoked && !queue.records.isEmpty()) {
      ConsumerRecord<byte[], byte[]> record = queue.records.poll();
      Future<CloudEvent> reply = invoke(record);
      if (!reply.isComplete()) {
        reply.onComplete(outcome -> runOnContext(() -> {
          handle(record, outcome);
          drain(queue);
        }));
        return;
      }
      handle(record, reply);
    }
    queue.busy = false;
  }

  private Future<CloudEvent> invoke(ConsumerRecord<byte[], byte[]> record) {
    CloudEvent event;
    try {
      event = CloudEventRecords.fromRecord(record);
    } catch (CloudEventRWException e) {
      return Future.failedFuture(new UnreadableRecordException(e));
    }
    return function.invoke(event, settings.timeout());
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, AsyncResult<CloudEvent> outcome) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (outcome.failed()) {
      // Retries and dead letters are the delivery policy's job; here a failed event is logged and skipped.
      LOG.warn("event failed trigger={} function={} partition={} offset={} cause={}", settings.name(),
          function.name(), partition, record.offset(), outcome.cause().toString());
      tracker.finish(partition, record.offset());
      return;
    }
    CloudEvent reply = outcome.result();
    if (reply == null || settings.replyTopic().isEmpty()) {
      tracker.finish(partition, record.offset());
      return;
    }
    publishReply(partition, record, reply, settings.replyTopic().get());
  }

  private void publishReply(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, CloudEvent reply, String topic) {
    publisher.send(topic, reply, record.key()).whenComplete((ok, failure) -> {
      if (failure == null) {
        tracker.finish(partition, record.offset());
        return;
      }
      // The offset stays unfinished, so nothing after it is committed while the reply is retried.
      LOG.warn("reply not written, retrying trigger={} partition={} offset={} cause={}", settings.name(),
          partition, record.offset(), failure.getMessage());
      context.runOnContext(v -> context.owner().setTimer(1000, id -> {
        if (queues.containsKey(partition)) {
          publishReply(partition, record, reply, topic);
        }
      }));
    });
  }

  private void runOnContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private static final class PartitionQueue {
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> records = new ArrayDeque<>();
    boolean busy;
    boolean revoked;

    PartitionQueue(TopicPartition partition) {}
  }

  /** A record that is not a CloudEvent in either Kafka mode. */
  static final class UnreadableRecordException extends RuntimeException {
    UnreadableRecordException(CloudEventRWException cause) {
      super("record is not a CloudEvent: " + cause.getMessage(), cause);
    }
  }
}
