package dev.fnmesh.controller.scale;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One measurement of a consumer group's lag on a topic.
 *
 * @param topic the topic measured
 * @param group the consumer group measured
 * @param partitions the lag of every partition of the topic, ordered by partition number
 * @param measuredAt when the offsets were read
 */
public record LagReport(String topic, String group, List<PartitionLag> partitions, Instant measuredAt) {

  public LagReport {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(measuredAt, "measuredAt");
    partitions = partitions.stream().sorted(Comparator.comparingInt(PartitionLag::partition)).toList();
  }

  /** The sum of the partitions' lag; {@link Long#MAX_VALUE} if it would overflow. */
  public long totalLag() {
    long total = 0;
    for (PartitionLag partition : partitions) {
      total += partition.lag();
      if (total < 0) {
        return Long.MAX_VALUE;
      }
    }
    return total;
  }

  /** How many partitions have a lag above 0. */
  public int partitionsWithLag() {
    return (int) partitions.stream().filter(partition -> partition.lag() > 0).count();
  }

  /** The lag of one partition. */
  public PartitionLag partition(int number) {
    return partitions.stream().filter(partition -> partition.partition() == number).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("topic '" + topic + "' has no partition " + number
            + " in this report; it has " + partitions.size()));
  }
}
