package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The failed attempts of events being retried, per partition, written into the metadata of the partition's
 * committed offset ({@code fnmesh.attempts=OFFSET:N,...}) so that they move with the partition: the replica
 * that gets it next, on this host or another, goes on counting where this one stopped, and {@code retry: 3}
 * means three retries in all. Thread-safe: attempts are counted on event loops, commits are made and
 * read on the consumer thread.
 */
final class RetryLedger {

  static final String PREFIX = "fnmesh.attempts=";
  // Kafka refuses commit metadata over offset.metadata.max.bytes (4096 by default): 100 entries stay far below.
  static final int MAX_ENTRIES = 100;

  private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

  /** The attempts that failed for the event before, on this replica or an earlier owner; 0 for a new one. */
  int failedBefore(TopicPartition partition, long offset) {
    Partition counts = partitions.get(partition);
    return counts == null ? 0 : counts.failed(offset);
  }

  /** Attempt {@code attempts} of the event failed and it will be tried again. */
  void failed(TopicPartition partition, long offset, int attempts) {
    partitions.computeIfAbsent(partition, p -> new Partition()).put(offset, attempts);
  }

  /** The event's outcome is durable: its count is dropped from the next commit's metadata. */
  void settled(TopicPartition partition, long offset) {
    Partition counts = partitions.get(partition);
    if (counts != null) {
      counts.remove(offset);
    }
  }

  /** Takes over the counts a partition's previous owner committed with its offset. */
  void carried(Map<TopicPartition, OffsetAndMetadata> committed) {
    committed.forEach((partition, commit) -> {
      if (commit != null && commit.metadata() != null && commit.metadata().startsWith(PREFIX)) {
        Partition counts = partitions.computeIfAbsent(partition, p -> new Partition());
        counts.read(commit.metadata().substring(PREFIX.length()), commit.offset());
      }
    });
  }

  /** The metadata to commit with offset {@code next}: the counts of events at or after it; empty for none. */
  String metadata(TopicPartition partition, long next) {
    Partition counts = partitions.get(partition);
    return counts == null ? "" : counts.metadata(next);
  }

  /** Whether the counts changed since they were last handed out, so that a commit at {@code next} should carry them. */
  boolean changedSince(TopicPartition partition, long next) {
    Partition counts = partitions.get(partition);
    return counts != null && !counts.metadata(next).equals(counts.offered == null ? "" : counts.offered);
  }

  /** {@link #metadata}, handed out to a commit: unchanged, it is not offered again by {@link #changedSince}. */
  String offer(TopicPartition partition, long next) {
    Partition counts = partitions.get(partition);
    if (counts == null) {
      return "";
    }
    String metadata = counts.metadata(next);
    counts.offered = metadata;
    return metadata;
  }

  /** The commit of the partition's counts failed: the next commit carries them again. */
  void commitFailed(TopicPartition partition) {
    Partition counts = partitions.get(partition);
    if (counts != null) {
      counts.offered = null;
    }
  }

  void forget(Collection<TopicPartition> revoked) {
    revoked.forEach(partitions::remove);
  }

  private static final class Partition {
    private final TreeMap<Long, Integer> failed = new TreeMap<>();
    // What the last commit carried; null when it failed or nothing was committed yet.
    private volatile String offered;

    synchronized int failed(long offset) {
      return failed.getOrDefault(offset, 0);
    }

    synchronized void put(long offset, int attempts) {
      failed.put(offset, attempts);
    }

    synchronized void remove(long offset) {
      failed.remove(offset);
    }

    synchronized void read(String entries, long from) {
      for (String entry : entries.split(",")) {
        int colon = entry.indexOf(':');
        try {
          long offset = Long.parseLong(entry.substring(0, colon));
          int attempts = Integer.parseInt(entry.substring(colon + 1));
          if (offset >= from && attempts > 0) {
            failed.merge(offset, attempts, Math::max);
          }
        } catch (RuntimeException unreadable) {
          // Written by something else than fnmesh: no count to take over for that entry.
        }
      }
      offered = metadata(from);
    }

    synchronized String metadata(long next) {
      failed.headMap(next).clear();
      if (failed.isEmpty()) {
        return "";
      }
      StringBuilder text = new StringBuilder(PREFIX);
      failed.entrySet().stream().limit(MAX_ENTRIES).forEach(entry ->
          text.append(entry.getKey()).append(':').append(entry.getValue()).append(','));
      return text.substring(0, text.length() - 1);
    }
  }
}
