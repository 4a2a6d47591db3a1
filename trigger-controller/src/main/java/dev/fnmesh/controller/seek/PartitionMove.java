package dev.fnmesh.controller.seek;

import java.util.OptionalLong;

/**
 * Where a seek moved a consumer group on one partition.
 *
 * @param partition the partition
 * @param from the offset committed before, empty when the group had none there
 * @param to the offset committed now: the next event the trigger reads there
 */
public record PartitionMove(int partition, OptionalLong from, long to) {}
