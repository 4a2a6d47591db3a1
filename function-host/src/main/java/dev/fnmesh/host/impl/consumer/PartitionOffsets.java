package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Arrays;
import java.util.List;

/**
 * The offsets of one partition fetched and not yet committed, in fetch (ascending) order, each with a
 * finished flag. A ring of primitives rather than a set of boxed longs: this sits on the hot path.
 */
final class PartitionOffsets {

  private long[] offsets = new long[1024];
  private boolean[] finished = new boolean[1024];
  private int head;
  private int size;
  private int finishedCount;
  // One past the last offset of the finished prefix dropped so far, and the last of those handed out to commit.
  private long prefixEnd = -1;
  private long offered = -1;
  private boolean closed;

  synchronized void track(long offset) {
    if (size == offsets.length) {
      grow();
    }
    int slot = (head + size) % offsets.length;
    offsets[slot] = offset;
    finished[slot] = false;
    size++;
  }

  synchronized void trackAll(List<? extends ConsumerRecord<?, ?>> records) {
    for (var record : records) {
      track(record.offset());
    }
  }

  /** @return true when the offset was tracked and not finished before */
  synchronized boolean finish(long offset) {
    if (closed) {
      return false;
    }
    int index = indexOf(offset);
    if (index < 0) {
      return false;
    }
    int slot = (head + index) % offsets.length;
    if (finished[slot]) {
      return false;
    }
    finished[slot] = true;
    finishedCount++;
    return true;
  }

  /** {@link #advance(long)} without the consumer's position. */
  synchronized long advance() {
    return advance(-1);
  }

  /**
   * Drops the finished prefix.
   *
   * @param position the consumer's next offset to fetch in this partition, or -1 when unknown. With nothing
   *     tracked left unfinished, every offset below it is finished or was never a record for this consumer: a
   *     transaction's commit marker, or records of an aborted transaction. The prefix then reaches it, so the
   *     group's lag falls to zero after a transactional write rather than staying at one. This holds before any
   *     record was tracked too: a partition that holds only aborted records and markers is committed past them.
   * @return the offset to commit (one past the last finished one of the prefix), or -1 when it was handed
   *     out before and its commit did not fail since
   */
  synchronized long advance(long position) {
    while (size > 0 && finished[head]) {
      prefixEnd = offsets[head] + 1;
      head = (head + 1) % offsets.length;
      size--;
      finishedCount--;
    }
    if (size == 0 && position > prefixEnd) {
      prefixEnd = position;
    }
    if (prefixEnd < 0 || prefixEnd == offered) {
      return -1;
    }
    offered = prefixEnd;
    return prefixEnd;
  }

  /** Where the group would go on from now: the first unfinished offset, or past the finished prefix; -1 for none. */
  synchronized long commitPoint() {
    return size > 0 && !finished[head] ? offsets[head] : prefixEnd;
  }

  /**
   * The commit of {@code next}, taken from {@link #advance}, failed: the next advance hands it out again,
   * even when nothing more finished (an idle partition), unless a later offset was handed out since.
   */
  synchronized void commitFailed(long next) {
    if (offered == next) {
      offered = -1;
    }
  }

  synchronized int unfinished() {
    return size - finishedCount;
  }

  /**
   * Stops tracking: later {@link #finish} calls return false, so a completion racing with a revocation
   * is not counted twice.
   *
   * @return the offsets that were still unfinished
   */
  synchronized int close() {
    closed = true;
    return size - finishedCount;
  }

  // Offsets are tracked in ascending order, so the ring is sorted from head: binary search it.
  private int indexOf(long offset) {
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long value = offsets[(head + mid) % offsets.length];
      if (value < offset) {
        low = mid + 1;
      } else if (value > offset) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private void grow() {
    long[] newOffsets = new long[offsets.length * 2];
    boolean[] newFinished = new boolean[offsets.length * 2];
    for (int i = 0; i < size; i++) {
      newOffsets[i] = offsets[(head + i) % offsets.length];
      newFinished[i] = finished[(head + i) % offsets.length];
    }
    offsets = newOffsets;
    finished = newFinished;
    head = 0;
    Arrays.fill(newFinished, size, newFinished.length, false);
  }
}
