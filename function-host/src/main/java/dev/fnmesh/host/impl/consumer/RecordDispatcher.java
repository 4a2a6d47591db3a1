package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.mesh.DeliverySettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands fetched records to {@link EventDelivery}, per partition: one at a time in offset order when
 * ordered, up to {@code maxInFlight} at once when unordered, and up to {@code maxInFlight} at once but one at
 * a time per key when ordered by key ({@link KeyLanes}). Partitions proceed independently; a stalled
 * partition gets no further record until it resumes. Confined to the trigger's context: every method runs
 * on its event loop.
 */
final class RecordDispatcher {

  private final EventDelivery delivery;
  private final PartitionStalls stalls;
  private final Context context;
  private final int limit;
  private final DeliverySettings.Ordering ordering;
  private final Map<TopicPartition, PartitionQueue> queues = new HashMap<>();

  RecordDispatcher(EventDelivery delivery, PartitionStalls stalls, DeliverySettings settings, Context context) {
    this.delivery = delivery;
    this.stalls = stalls;
    this.context = context;
    this.limit = settings.ordering() == DeliverySettings.Ordering.ORDERED ? 1 : settings.maxInFlight();
    this.ordering = settings.ordering();
  }

  void dispatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      PartitionQueue queue = queues.computeIfAbsent(partition, p -> new PartitionQueue(p, backlog()));
      queue.records.add(records.records(partition));
      drain(queue);
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
    stalls.forget(partitions);
  }

  /** Drops everything: the consumer that fetched these records is gone. */
  void revokeAll() {
    revoke(List.copyOf(queues.keySet()));
    stalls.forgetAll();
  }

  private PartitionBacklog backlog() {
    return ordering == DeliverySettings.Ordering.KEY ? new KeyLanes(OrderingKeys::of) : new OffsetOrderBacklog();
  }

  // A loop rather than recursion: events handled synchronously would otherwise grow the stack per record.
  private void drain(PartitionQueue queue) {
    while (!queue.revoked && queue.inFlight < limit && queue.records.hasNext()) {
      if (stalls.stalled(queue.partition)) {
        awaitResume(queue);
        return;
      }
      ConsumerRecord<byte[], byte[]> record = queue.records.next();
      queue.inFlight++;
      Future<Void> done = delivery.handle(record);
      if (done.isComplete()) {
        queue.inFlight--;
        queue.records.done(record);
        continue;
      }
      done.onComplete(outcome -> onContext(() -> {
        queue.inFlight--;
        queue.records.done(record);
        drain(queue);
      }));
    }
  }

  private void awaitResume(PartitionQueue queue) {
    if (!queue.awaitingResume) {
      queue.awaitingResume = true;
      stalls.resumed(queue.partition).onComplete(v -> {
        queue.awaitingResume = false;
        drain(queue);
      });
    }
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private static final class PartitionQueue {
    final TopicPartition partition;
    final PartitionBacklog records;
    int inFlight;
    boolean revoked;
    boolean awaitingResume;

    PartitionQueue(TopicPartition partition, PartitionBacklog records) {
      this.partition = partition;
      this.records = records;
    }
  }
}
