package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.TopicReport;
import dev.fnmesh.mesh.TopicSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one place fnmesh creates topics, the mesh's ({@link KafkaTopicAdmin}) and its own (the state and cron
 * topics): as the {@link TopicPolicy} says, or uses the topic that exists as it is. Its calls never block a
 * thread; the admin client is the caller's.
 */
public final class TopicCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
  /** How long a topic may take to be described and served once it exists. */
  public static final Duration SERVED_WAIT = Duration.ofSeconds(10);
  private static final Executor RETRY = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  private final Admin admin;
  private final TopicPolicy policy;

  public TopicCreator(Admin admin, TopicPolicy policy) {
    this.admin = admin;
    this.policy = policy;
  }

  /**
   * Creates the topic unless it exists, then waits until every partition's leader serves it. A topic that
   * exists keeps its partitions, replicas and configs; one with fewer replicas than the policy asks for is
   * logged here (callers remember the topic, so once).
   *
   * @return completes with the topic as created or found; fails with an {@link IllegalStateException} naming
   *     the topic and Kafka's reason when Kafka cannot be reached or refuses it (a replication factor above the
   *     brokers, an unknown config), or when the topic is not served within {@link #SERVED_WAIT}
   */
  public CompletionStage<TopicReport> ensure(String topic, TopicSettings settings) {
    long deadline = System.nanoTime() + SERVED_WAIT.toNanos();
    CompletableFuture<TopicReport> ensured = new CompletableFuture<>();
    admin.describeCluster().nodes().toCompletionStage()
        .handle((nodes, failure) -> {
          if (failure != null) {
            throw refused(topic, "could not count the brokers", failure);
          }
          return policy.newTopic(topic, settings, nodes.size());
        })
        .thenCompose(wanted -> create(wanted, deadline))
        .thenCompose(report -> retrying(() -> served(report), deadline, topic, "served"))
        // Completed by hand: a failure reaches the caller as the exception itself, not wrapped by each stage.
        .whenComplete((report, failure) -> {
          if (failure != null) {
            ensured.completeExceptionally(unwrapped(failure));
          } else {
            ensured.complete(report);
          }
        });
    return ensured;
  }

  private CompletionStage<TopicReport> create(NewTopic wanted, long deadline) {
    String topic = wanted.name();
    int asked = wanted.replicationFactor();
    return admin.createTopics(List.of(wanted)).all().toCompletionStage().handle((ok, failure) -> {
      Throwable cause = unwrapped(failure);
      if (cause == null) {
        LOG.info("topic created topic={} partitions={} replicas={} configs={}", topic, wanted.numPartitions(), asked,
            wanted.configs());
        return CompletableFuture.completedFuture(new TopicReport(topic, true, wanted.numPartitions(), asked, asked));
      }
      if (!(cause instanceof TopicExistsException)) {
        throw refused(topic, "could not create it", cause);
      }
      return retrying(() -> described(topic, asked), deadline, topic, "described").thenApply(report -> {
        if (report.underReplicated()) {
          LOG.warn("topic under-replicated, used as it is topic={} replicas={} asked={}", topic, report.replicas(), asked);
        }
        return report;
      });
    }).thenCompose(next -> next);
  }

  // Another client may have created the topic a moment ago: its metadata can take a moment to be known.
  private CompletionStage<TopicReport> described(String topic, int asked) {
    return admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage().thenApply(topics -> {
      List<TopicPartitionInfo> partitions = topics.get(topic).partitions();
      int replicas = partitions.stream().mapToInt(partition -> partition.replicas().size()).min().orElse(0);
      return new TopicReport(topic, false, partitions.size(), replicas, asked);
    });
  }

  // A new topic's partitions are served by their leaders a moment after the topic is created; an
  // idempotent producer writing in that moment can retry OUT_OF_ORDER_SEQUENCE until its delivery timeout.
  // ListOffsets is answered by a partition's leader only once it serves the partition, so wait for it.
  private CompletionStage<TopicReport> served(TopicReport report) {
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    for (int partition = 0; partition < report.partitions(); partition++) {
      all.put(new TopicPartition(report.topic(), partition), OffsetSpec.latest());
    }
    return admin.listOffsets(all).all().toCompletionStage().thenApply(offsets -> report);
  }

  /** The step's result, the step tried again every 20 ms while it fails, until the deadline. */
  private static <T> CompletionStage<T> retrying(Supplier<CompletionStage<T>> step, long deadline, String topic,
      String what) {
    return step.get().handle((result, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(result);
      }
      if (System.nanoTime() > deadline) {
        return CompletableFuture.<T>failedFuture(refused(topic, "it exists but is not " + what + " after "
            + SERVED_WAIT.toSeconds() + " s", unwrapped(failure)));
      }
      return CompletableFuture.supplyAsync(() -> null, RETRY).thenCompose(v -> retrying(step, deadline, topic, what));
    }).thenCompose(next -> next);
  }

  private static IllegalStateException refused(String topic, String what, Throwable cause) {
    Throwable reason = unwrapped(cause);
    return new IllegalStateException("Kafka topic '" + topic + "': " + what + ": " + reason.getMessage(), reason);
  }

  private static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
