package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.host.TriggerHealth;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The partitions of one replica that stopped because a reply or dead letter of theirs cannot be written:
 * the dispatcher hands them no further event and the consumer stops fetching them until every stalled
 * write went through. Each stall is reported to the trigger's {@link TriggerHealth}. Confined to the
 * trigger's context, except {@link #current}, which the consumer thread reads.
 */
final class PartitionStalls {

  private final TriggerHealth health;
  private final String replica;
  private final Map<TopicPartition, TreeMap<Long, String>> stalled = new HashMap<>();
  private final Map<TopicPartition, Promise<Void>> waiting = new HashMap<>();
  // Rewritten on the context after every change, read by the consumer thread: immutable.
  private volatile Set<TopicPartition> published = Set.of();

  PartitionStalls(TriggerHealth health, String replica) {
    this.health = health;
    this.replica = replica;
  }

  /** The write for {@code offset} cannot succeed for now, for {@code reason}; the partition stops. */
  void stall(TopicPartition partition, long offset, String reason) {
    TreeMap<Long, String> offsets = stalled.computeIfAbsent(partition, p -> new TreeMap<>());
    offsets.put(offset, reason);
    report(partition, offsets);
    publish();
  }

  /** The write for {@code offset} went through, or was given up with its partition; the partition may go on. */
  void resume(TopicPartition partition, long offset) {
    TreeMap<Long, String> offsets = stalled.get(partition);
    if (offsets == null || offsets.remove(offset) == null) {
      return;
    }
    if (!offsets.isEmpty()) {
      report(partition, offsets);
      return;
    }
    clear(partition);
    publish();
  }

  /** The partitions are no longer this replica's: their stalls go with them, the new owner tries again. */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      clear(partition);
    }
    publish();
  }

  void forgetAll() {
    forget(List.copyOf(stalled.keySet()));
  }

  boolean stalled(TopicPartition partition) {
    return stalled.containsKey(partition);
  }

  /** @return a future completed on this context once the partition is no longer stalled (at once when it is not) */
  Future<Void> resumed(TopicPartition partition) {
    if (!stalled(partition)) {
      return Future.succeededFuture();
    }
    return waiting.computeIfAbsent(partition, p -> Promise.promise()).future();
  }

  /** The stalled partitions now, from any thread. */
  Set<TopicPartition> current() {
    return published;
  }

  // The oldest stalled write is the one to fix first.
  private void report(TopicPartition partition, TreeMap<Long, String> offsets) {
    health.stalled(replica, partition.toString(), "partition " + partition + " stalled at offset "
        + offsets.firstKey() + ": " + offsets.firstEntry().getValue());
  }

  private void clear(TopicPartition partition) {
    if (stalled.remove(partition) != null) {
      health.resumed(replica, partition.toString());
    }
    Promise<Void> resumed = waiting.remove(partition);
    if (resumed != null) {
      resumed.complete();
    }
  }

  private void publish() {
    published = Set.copyOf(stalled.keySet());
  }
}
