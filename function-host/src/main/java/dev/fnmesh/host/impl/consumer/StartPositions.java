package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.mesh.StartFrom;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a replica learns from the committed offsets of the partitions it is assigned, before it fetches
 * them: the attempt counts their previous owner left (see {@link RetryLedger}) and, for a trigger that
 * starts by time, where a partition nothing was committed on starts: the first event at or after the time,
 * or the end where none is that recent. Earliest and latest are Kafka's own {@code auto.offset.reset}.
 * Runs on the consumer thread, inside the rebalance callback.
 */
final class StartPositions {

  private static final Logger LOG = LoggerFactory.getLogger(StartPositions.class);

  private final String trigger;
  private final StartFrom startFrom;

  StartPositions(String trigger, StartFrom startFrom) {
    this.trigger = trigger;
    this.startFrom = startFrom;
  }

  String resetPolicy() {
    return startFrom.resetPolicy();
  }

  /**
   * @throws RuntimeException for a trigger that starts by time, when the committed offsets or the offsets
   *     for the time could not be read: the consumer then dies and its replacement tries again, rather than
   *     reading from a place the mesh did not ask for
   */
  void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions, RetryLedger retries) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = consumer.committed(Set.copyOf(partitions));
    } catch (RuntimeException e) {
      if (startFrom.timestamp().isPresent()) {
        throw e;
      }
      LOG.warn("committed offsets not read, attempt counts start afresh trigger={} partitions={} cause={}", trigger,
          partitions, e.toString());
      return;
    }
    retries.carried(committed);
    startFrom.timestamp().ifPresent(time -> seekByTime(consumer, partitions, committed, time.toEpochMilli()));
  }

  private void seekByTime(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
      Map<TopicPartition, OffsetAndMetadata> committed, long time) {
    Map<TopicPartition, Long> uncommitted = new HashMap<>();
    for (TopicPartition partition : partitions) {
      if (committed.get(partition) == null) {
        uncommitted.put(partition, time);
      }
    }
    if (uncommitted.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(uncommitted);
    List<TopicPartition> toEnd = uncommitted.keySet().stream().filter(partition -> found.get(partition) == null).toList();
    found.forEach((partition, offset) -> {
      if (offset != null) {
        consumer.seek(partition, offset.offset());
      }
    });
    consumer.seekToEnd(toEnd);
    LOG.info("started by time trigger={} time={} seeked={} toEnd={}", trigger, startFrom.text(), found, toEnd);
  }
}
