package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands fetched records to {@link EventDelivery}, per partition: one at a time in offset order when
 * ordered, up to {@code maxInFlight} at once when unordered, and up to {@code maxInFlight} at once but one at
 * a time per key when ordered by key ({@link KeyLanes}). With {@code delivery.batch} it hands them to
 * {@link BatchDelivery} in batches of one partition instead ({@link OpenBatch}): a partition starts a batch
 * while it has no batch in flight when ordered, while fewer than {@code maxInFlight} events are in flight
 * otherwise, and a batch ordered by key holds one event per key. Partitions proceed independently; a stalled
 * partition gets no further record until it resumes. Confined to the trigger's context: every method runs
 * on its event loop.
 */
final class RecordDispatcher {

  private final EventDelivery delivery;
  // Null unless the trigger delivers batches.
  private final BatchDelivery batches;
  private final BatchSettings batch;
  private final PartitionStalls stalls;
  private final Context context;
  private final int limit;
  private final DeliverySettings.Ordering ordering;
  private final Map<TopicPartition, PartitionQueue> queues = new HashMap<>();

  RecordDispatcher(EventDelivery delivery, PartitionStalls stalls, DeliverySettings settings, Context context) {
    this(delivery, null, stalls, settings, context);
  }

  /** @param batches how batches are delivered; null unless {@code settings} asks for batches */
  RecordDispatcher(EventDelivery delivery, BatchDelivery batches, PartitionStalls stalls, DeliverySettings settings,
      Context context) {
    this.delivery = delivery;
    this.batches = batches;
    this.batch = batches == null ? null : settings.batch().orElseThrow();
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
        if (queue.open != null) {
          context.owner().cancelTimer(queue.open.timer);
          queue.open = null;
        }
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
    if (batches != null) {
      drainBatches(queue);
      return;
    }
    while (!queue.revoked && queue.inFlight < limit && queue.records.hasNext()) {
      if (stalls.stalled(queue.partition)) {
        awaitResume(queue);
        return;
      }
      ConsumerRecord<byte[], byte[]> record = queue.records.next();
      queue.inFlight++;
      Future<Void> done = delivery.handle(record);
      if (done.isComplete()) {
        done(queue, record);
        continue;
      }
      done.onComplete(outcome -> onContext(() -> {
        done(queue, record);
        drain(queue);
      }));
    }
  }

  private void drainBatches(PartitionQueue queue) {
    // Ordered: one batch in flight, all of its events finished before the next starts.
    while (!queue.revoked && (ordering == DeliverySettings.Ordering.ORDERED ? queue.inFlight == 0
        : queue.inFlight < limit)) {
      if (stalls.stalled(queue.partition)) {
        awaitResume(queue);
        return;
      }
      if (!gather(queue)) {
        return;
      }
      OpenBatch closed = queue.open;
      queue.open = null;
      context.owner().cancelTimer(closed.timer);
      queue.inFlight += closed.records.size();
      List<Future<Void>> done = batches.handle(closed.records);
      for (int i = 0; i < done.size(); i++) {
        ConsumerRecord<byte[], byte[]> record = closed.records.get(i);
        Future<Void> ended = done.get(i);
        if (ended.isComplete()) {
          done(queue, record);
        } else {
          ended.onComplete(outcome -> onContext(() -> {
            done(queue, record);
            drain(queue);
          }));
        }
      }
    }
  }

  /**
   * Adds the records that may go now to the partition's open batch, opening one (and its maxWait timer) for the
   * first.
   *
   * @return whether the open batch is to be sent now: it is full or waited its maxWait
   */
  private boolean gather(PartitionQueue queue) {
    while (queue.carried != null || queue.records.hasNext()) {
      ConsumerRecord<byte[], byte[]> record = queue.carried != null ? queue.carried : queue.records.next();
      queue.carried = null;
      long bytes = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
      if (queue.open == null) {
        OpenBatch opened = new OpenBatch();
        opened.timer = context.owner().setTimer(Math.max(1, batch.maxWait().toMillis()), id -> {
          opened.expired = true;
          if (queue.open == opened) {
            drain(queue);
          }
        });
        queue.open = opened;
      } else if (queue.open.bytes + bytes > batch.maxBytes()) {
        // It starts the next batch: one event larger than maxBytes still goes, alone.
        queue.carried = record;
        return true;
      }
      queue.open.records.add(record);
      queue.open.bytes += bytes;
      if (queue.open.records.size() >= batch.maxEvents() || queue.open.bytes >= batch.maxBytes()) {
        return true;
      }
    }
    return queue.open != null && queue.open.expired;
  }

  private void done(PartitionQueue queue, ConsumerRecord<byte[], byte[]> record) {
    queue.inFlight--;
    queue.records.done(record);
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

  /** The batch a partition is gathering: it closes at maxEvents, at maxBytes, or once its timer expired. */
  private static final class OpenBatch {
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long bytes;
    long timer;
    boolean expired;
  }

  private static final class PartitionQueue {
    final TopicPartition partition;
    final PartitionBacklog records;
    int inFlight;
    boolean revoked;
    boolean awaitingResume;
    // When batching: the batch being gathered, and a record taken from the backlog that starts the next one.
    OpenBatch open;
    ConsumerRecord<byte[], byte[]> carried;

    PartitionQueue(TopicPartition partition, PartitionBacklog records) {
      this.partition = partition;
      this.records = records;
    }
  }
}
