package dev.fnmesh.broker;

import dev.fnmesh.mesh.KafkaSource;

/**
 * Settings of the HTTP ingress.
 *
 * @param maxBodyBytes requests with a larger body are refused with 413
 * @param createMissingTopics whether publishing to a topic that does not exist creates it
 * @param defaultPartitions the partition count of topics the ingress creates, from 1 to
 *     {@link KafkaSource#MAX_PARTITIONS}
 */
public record IngressSettings(long maxBodyBytes, boolean createMissingTopics, int defaultPartitions) {

  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  public IngressSettings {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, got " + maxBodyBytes);
    }
    if (defaultPartitions < 1 || defaultPartitions > KafkaSource.MAX_PARTITIONS) {
      throw new IllegalArgumentException("defaultPartitions must be between 1 and " + KafkaSource.MAX_PARTITIONS
          + ", got " + defaultPartitions);
    }
  }

  public static IngressSettings defaults() {
    return new IngressSettings(DEFAULT_MAX_BODY_BYTES, true, KafkaSource.DEFAULT_PARTITIONS);
  }
}
