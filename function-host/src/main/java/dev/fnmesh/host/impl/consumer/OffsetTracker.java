package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * Which fetched offsets are finished, per partition, so that only the contiguous finished prefix is ever
 * committed: an event counts as finished once it was handled, so a crash at any moment loses nothing.
 * Thread-safe: offsets are tracked by the consumer thread and finished from event loops and producer
 * threads.
 */
final class OffsetTracker {

  private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final RetryLedger retries = new RetryLedger();

  /** The attempt counts of the events being retried, which every commit carries as its metadata. */
  RetryLedger retries() {
    return retries;
  }

  void track(TopicPartition partition, long offset) {
    partitions.computeIfAbsent(partition, p -> new PartitionOffsets()).track(offset);
    inFlight.incrementAndGet();
  }

  /** Tracks a fetched batch of one partition with one lock and one lookup, not one per record. */
  void track(TopicPartition partition, List<? extends ConsumerRecord<?, ?>> records) {
    partitions.computeIfAbsent(partition, p -> new PartitionOffsets()).trackAll(records);
    inFlight.addAndGet(records.size());
  }

  /**
   * Tracks newly assigned partitions before any of their records arrives, so that one whose records are all
   * skipped by a {@code read_committed} consumer (an aborted transaction, markers) still commits its position.
   */
  void assign(Collection<TopicPartition> assigned) {
    for (TopicPartition partition : assigned) {
      partitions.computeIfAbsent(partition, p -> new PartitionOffsets());
    }
  }

  /** Marks an offset finished; an offset of a partition no longer tracked (revoked) is ignored. */
  void finish(TopicPartition partition, long offset) {
    PartitionOffsets offsets = partitions.get(partition);
    if (offsets != null && offsets.finish(offset)) {
      inFlight.decrementAndGet();
      retries.settled(partition, offset);
    }
  }

  /** Whether the partition is still this consumer's: work on a revoked partition (retries, rewrites) stops. */
  boolean owns(TopicPartition partition) {
    return partitions.containsKey(partition);
  }

  /** Events tracked and not yet finished, over all partitions. */
  int inFlight() {
    return inFlight.get();
  }

  /**
   * Takes the offsets to commit: per partition, one past the last offset of its contiguous finished prefix,
   * for partitions whose prefix grew since the last call or whose last commit failed, and for those whose
   * attempt counts changed (see {@link RetryLedger}), which every commit carries as its metadata.
   */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    return committable(partition -> -1);
  }

  /**
   * {@link #committable()}, where a partition with nothing unfinished commits up to the consumer's position
   * (see {@link PartitionOffsets#advance(long)}).
   *
   * @param positions the consumer's next offset to fetch per partition, -1 when unknown
   */
  Map<TopicPartition, OffsetAndMetadata> committable(ToLongFunction<TopicPartition> positions) {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    partitions.forEach((partition, offsets) -> {
      long next = offsets.advance(positions.applyAsLong(partition));
      if (next < 0 && retries.changedSince(partition, offsets.commitPoint())) {
        next = offsets.commitPoint();
      }
      if (next >= 0) {
        commits.put(partition, new OffsetAndMetadata(next, retries.offer(partition, next)));
      }
    });
    return commits;
  }

  /** Commits of these offsets failed: {@link #committable} offers them again, for partitions still owned. */
  void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> {
      PartitionOffsets tracked = partitions.get(partition);
      if (tracked != null) {
        tracked.commitFailed(offset.offset());
        retries.commitFailed(partition);
      }
    });
  }

  /** Forgets every partition: the consumer that fetched them is gone. */
  void forgetAll() {
    forget(List.copyOf(partitions.keySet()));
  }

  /** Forgets partitions this consumer no longer owns; their unfinished events are redelivered elsewhere. */
  void forget(Collection<TopicPartition> revoked) {
    retries.forget(revoked);
    for (TopicPartition partition : revoked) {
      PartitionOffsets offsets = partitions.remove(partition);
      if (offsets != null) {
        inFlight.addAndGet(-offsets.close());
      }
    }
  }
}
