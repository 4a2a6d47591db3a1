package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' Kafka: one embedded broker with its data in a temporary directory, or a running cluster,
 * plus an admin client to create topics and count records. Close stops an embedded broker and deletes its
 * data; a running cluster is left as it is.
 */
final class BenchKafka implements AutoCloseable {

  // Both null when the cluster is not ours.
  private final TempDirectory dataDir;
  private final EmbeddedKafka kafka;
  private final String bootstrapServers;
  private final Admin admin;

  private BenchKafka(TempDirectory dataDir, EmbeddedKafka kafka, String bootstrapServers) {
    this.dataDir = dataDir;
    this.kafka = kafka;
    this.bootstrapServers = bootstrapServers;
    this.admin = Admin.create(settings().adminConfig("bench-admin"));
  }

  /** A running cluster, e.g. a broker in a process of its own, so that it does not share the bench's heap. */
  static BenchKafka connect(String bootstrapServers) {
    return new BenchKafka(null, null, bootstrapServers);
  }

  static BenchKafka start() {
    TempDirectory dir = TempDirectory.create("fnmesh-bench-kafka");
    try {
      EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaConfig.withFreePort(dir.path()));
      return new BenchKafka(dir, broker, broker.bootstrapServers());
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The client settings fnmesh itself uses against this broker; the baselines use the same ones. */
  KafkaSettings settings() {
    return KafkaSettings.of(bootstrapServers);
  }

  /**
   * Creates the topic and waits until its partitions have a leader that serves offsets: a producer that
   * writes the moment createTopics returns can get NOT_LEADER_OR_FOLLOWER, and its idempotent retries were
   * seen to fail with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout.
   */
  void createTopic(String topic, int partitions) {
    createTopic(admin, topic, partitions);
  }

  static void createTopic(Admin admin, String topic, int partitions) {
    await(admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        recordCount(admin, topic, partitions);
        return;
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topic=" + topic, e);
      }
    }
  }

  /** The sum of the topic's end offsets: how many records it holds (nothing is ever deleted here). */
  static long recordCount(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = await(admin.listOffsets(latest).all());
    return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
  }

  long recordCount(String topic, int partitions) {
    return recordCount(admin, topic, partitions);
  }

  static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for kafka", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("kafka admin call failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    admin.close();
    if (kafka != null) {
      kafka.close();
      dataDir.close();
    }
  }
}
