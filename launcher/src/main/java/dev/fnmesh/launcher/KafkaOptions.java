package dev.fnmesh.launcher;

import dev.fnmesh.broker.KafkaConfigFile;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicPolicy;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The command-line options that say which Kafka cluster a process uses and how its clients reach it. */
final class KafkaOptions {

  @Option(names = "--kafka", paramLabel = "BOOTSTRAP_SERVERS",
      description = "The Kafka cluster (up: instead of starting an embedded broker).")
  String kafka;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties (TLS, SASL, timeouts) for every client fnmesh makes; a key prefixed"
          + " producer., consumer. or admin. goes to that kind only; its bootstrap.servers stands in for --kafka.")
  Path kafkaConfig;

  @Option(names = "--replication-factor", paramLabel = "N",
      description = "Replicas of each partition of the topics fnmesh creates, unless the mesh sets a topic's own"
          + " (default: 3, or the number of brokers when fewer); min.insync.replicas is one less, at least 1.")
  Integer replicationFactor;

  /**
   * @return the cluster, its client settings and how fnmesh creates topics there; empty when neither
   *     {@code --kafka} nor the file names one
   * @throws IllegalArgumentException when the file cannot be read or changes a setting the guarantees rest on,
   *     or when the replication factor is out of range or given without a cluster
   */
  Optional<KafkaSettings> settings() {
    Optional<KafkaConfigFile> file = Optional.ofNullable(kafkaConfig).map(KafkaConfigFile::read);
    Optional<String> bootstrap = Optional.ofNullable(kafka).or(() -> file.flatMap(KafkaConfigFile::bootstrapServers));
    if (bootstrap.isEmpty() && file.isPresent()) {
      throw new IllegalArgumentException("--kafka-config " + kafkaConfig + " has no bootstrap.servers: name the"
          + " cluster with --kafka or in the file");
    }
    if (bootstrap.isEmpty() && replicationFactor != null) {
      throw new IllegalArgumentException("--replication-factor applies to a Kafka cluster named with --kafka; the"
          + " embedded broker is a single node, whose topics have one replica");
    }
    TopicPolicy topics = topicPolicy();
    return bootstrap.map(servers -> new KafkaSettings(servers, file.map(KafkaConfigFile::overrides).orElse(Map.of()))
        .withTopics(topics));
  }

  private TopicPolicy topicPolicy() {
    if (replicationFactor == null) {
      return TopicPolicy.CLUSTER_SIZED;
    }
    try {
      return new TopicPolicy(OptionalInt.of(replicationFactor));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--replication-factor: " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException when no cluster is named, or as {@link #settings()} */
  KafkaSettings required() {
    return settings().orElseThrow(() -> new IllegalArgumentException("name the mesh's Kafka cluster with --kafka"
        + " BOOTSTRAP_SERVERS (or FNMESH_KAFKA, or bootstrap.servers in --kafka-config)"));
  }
}
