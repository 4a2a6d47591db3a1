package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.StartFrom;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The lag of a consumer group on one partition: the events between where the group will read next and
 * the partition's end.
 *
 * @param partition the partition number
 * @param endOffset the offset the next event will get (for read_committed consumers: the last stable offset)
 * @param committedOffset the group's committed offset, empty when it committed none
 * @param startOffset the offset the lag is counted from: the committed offset, or where a consumer without
 *     a usable committed offset starts (the log start offset for {@code earliest}, the end for {@code latest})
 * @param lag {@code endOffset - startOffset}, never negative
 */
public record PartitionLag(int partition, long endOffset, OptionalLong committedOffset, long startOffset, long lag) {

  /** @throws IllegalArgumentException naming the field, its value and what was expected */
  public PartitionLag {
    Objects.requireNonNull(committedOffset, "committedOffset");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be 0 or more, got " + partition);
    }
    if (endOffset < 0 || startOffset < 0) {
      throw new IllegalArgumentException("offsets of partition " + partition + " must be 0 or more, got end "
          + endOffset + " and start " + startOffset);
    }
    if (lag < 0) {
      throw new IllegalArgumentException("lag of partition " + partition + " must be 0 or more, got " + lag);
    }
  }

  /**
   * Counts the lag the way the group's consumers will see it. A committed offset below the log start points
   * at events retention has removed: the consumer resets as if it had none, so those events are not counted.
   *
   * @param logStartOffset the partition's first offset still in the log
   * @param endOffset the offset the next event will get
   * @param committed the group's committed offset, empty when it committed none
   * @param startFrom where a consumer without a usable committed offset starts: earliest or latest
   */
  public static PartitionLag of(int partition, long logStartOffset, long endOffset, OptionalLong committed,
      StartFrom startFrom) {
    return of(partition, logStartOffset, endOffset, committed,
        startFrom.position() == StartFrom.Position.LATEST ? endOffset : logStartOffset);
  }

  /**
   * {@link #of(int, long, long, OptionalLong, StartFrom)} for any start, such as one by timestamp.
   *
   * @param uncommittedStart the offset a consumer without a usable committed offset starts from
   */
  public static PartitionLag of(int partition, long logStartOffset, long endOffset, OptionalLong committed,
      long uncommittedStart) {
    long start;
    if (committed.isPresent() && committed.getAsLong() >= logStartOffset) {
      start = committed.getAsLong();
    } else {
      start = Math.max(logStartOffset, Math.min(uncommittedStart, endOffset));
    }
    // A committed offset past the end (a recreated topic, an end read before the commit) is no negative lag.
    return new PartitionLag(partition, endOffset, committed, start, Math.max(0, endOffset - start));
  }
}
