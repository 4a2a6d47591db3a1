package dev.fnmesh.broker.impl;

import dev.fnmesh.broker.TopicPolicy;
import dev.fnmesh.broker.TopicReport;
import dev.fnmesh.mesh.TopicSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one place fnmesh creates topics, the mesh's ({@link KafkaTopicAdmin}) and its own (the state and cron
 * topics): as the {@link TopicPolicy} says, or uses the topic that exists as it is. Topics asked together are
 * created in one request and waited for together. Its calls never block a thread; the admin client is the caller's.
 */
public final class TopicCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
  /**
   * How long a topic may take to be described and served once it exists; topics asked together are waited for as
   * long as another of their partitions is served within this time.
   */
  public static final Duration SERVED_WAIT = Duration.ofSeconds(10);

  private final Admin admin;
  private final TopicPolicy policy;

  public TopicCreator(Admin admin, TopicPolicy policy) {
    this.admin = admin;
    this.policy = policy;
  }

  /**
   * Creates the topic unless it exists, then waits until every partition's leader serves it: {@link #ensureAll}
   * for one topic.
   */
  public CompletionStage<TopicReport> ensure(String topic, TopicSettings settings) {
    return ensureAll(Map.of(topic, settings)).get(topic);
  }

  /**
   * Creates the topics that do not exist in one request, then waits until every partition of every topic is
   * served by its leader. A topic that exists keeps its partitions, replicas and configs; one with fewer replicas
   * than the policy asks for is logged here (callers remember the topic, so once).
   *
   * @return a future per topic, completed with the topic as created or found; each fails on its own, with an
   *     {@link IllegalStateException} naming the topic and Kafka's reason, when Kafka cannot be reached or refuses
   *     that topic (a replication factor above the brokers, an unknown config), or when it is not served within
   *     {@link #SERVED_WAIT}: the other topics of the request are not held up by it
   */
  public Map<String, CompletableFuture<TopicReport>> ensureAll(Map<String, TopicSettings> topics) {
    long startNanos = System.nanoTime();
    Map<String, CompletableFuture<TopicReport>> ensured = new LinkedHashMap<>();
    topics.keySet().forEach(topic -> ensured.put(topic, new CompletableFuture<>()));
    if (topics.isEmpty()) {
      return ensured;
    }
    if (topics.size() > 1) {
      CompletableFuture.allOf(ensured.values().toArray(CompletableFuture[]::new)).whenComplete((all, failure) ->
          LOG.info("topics ensured together topics={} failed={} ms={}", topics.size(),
              ensured.values().stream().filter(CompletableFuture::isCompletedExceptionally).count(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
    }
    admin.describeCluster().nodes().toCompletionStage().whenComplete((nodes, failure) -> {
      if (failure != null) {
        ensured.forEach((topic, future) -> future.completeExceptionally(
            refused(topic, "could not count the brokers", failure)));
        return;
      }
      List<NewTopic> wanted = new ArrayList<>();
      topics.forEach((topic, settings) -> wanted.add(policy.newTopic(topic, settings, nodes.size())));
      create(wanted, ensured);
    });
    return ensured;
  }

  // One CreateTopics request: a controller handles a request's topics in one batch, where separate requests
  // would each wait for the one before.
  private void create(List<NewTopic> wanted, Map<String, CompletableFuture<TopicReport>> ensured) {
    Map<String, KafkaFuture<Void>> created = admin.createTopics(wanted).values();
    KafkaFuture.allOf(created.values().toArray(KafkaFuture[]::new)).whenComplete((ignored, any) -> {
      List<TopicReport> fresh = new ArrayList<>();
      Map<String, Integer> existing = new HashMap<>();
      for (NewTopic topic : wanted) {
        Throwable cause = failureOf(created.get(topic.name()));
        if (cause == null) {
          LOG.info("topic created topic={} partitions={} replicas={} configs={}", topic.name(), topic.numPartitions(),
              topic.replicationFactor(), topic.configs());
          fresh.add(new TopicReport(topic.name(), true, topic.numPartitions(), topic.replicationFactor(),
              topic.replicationFactor()));
        } else if (cause instanceof TopicExistsException) {
          existing.put(topic.name(), (int) topic.replicationFactor());
        } else {
          ensured.get(topic.name()).completeExceptionally(refused(topic.name(), "could not create it", cause));
        }
      }
      described(existing, ensured).thenAccept(found -> {
        List<TopicReport> all = new ArrayList<>(fresh);
        all.addAll(found);
        served(all, ensured);
      });
    });
  }

  // Another client may have created a topic a moment ago: its metadata can take a moment to be known.
  private CompletionStage<List<TopicReport>> described(Map<String, Integer> asked,
      Map<String, CompletableFuture<TopicReport>> ensured) {
    if (asked.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return RetriedRequest.<String, TopicDescription>untilAnswered(asked.keySet(),
        (names, timeoutMs) -> admin.describeTopics(names, new DescribeTopicsOptions().timeoutMs(timeoutMs))
            .topicNameValues(), SERVED_WAIT).thenApply(answers -> {
          List<TopicReport> found = new ArrayList<>();
          answers.failed().forEach((topic, cause) -> ensured.get(topic).completeExceptionally(
              refused(topic, "it exists but is not described after " + SERVED_WAIT.toSeconds() + " s", cause)));
          answers.values().forEach((topic, description) -> {
            int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
            TopicReport report = new TopicReport(topic, false, description.partitions().size(), replicas, asked.get(topic));
            if (report.underReplicated()) {
              LOG.warn("topic under-replicated, used as it is topic={} replicas={} asked={}", topic, replicas,
                  report.asked());
            }
            found.add(report);
          });
          return found;
        });
  }

  // A new topic's partitions are served by their leaders a moment after the topic is created; an idempotent
  // producer writing in that moment can retry OUT_OF_ORDER_SEQUENCE until its delivery timeout. ListOffsets is
  // answered by a partition's leader only once it serves the partition: one request for every partition, asked
  // again for those not served yet.
  private void served(List<TopicReport> reports, Map<String, CompletableFuture<TopicReport>> ensured) {
    Set<TopicPartition> partitions = reports.stream()
        .flatMap(report -> IntStream.range(0, report.partitions())
            .mapToObj(partition -> new TopicPartition(report.topic(), partition)))
        .collect(Collectors.toSet());
    RetriedRequest.<TopicPartition, Object>untilAnswered(partitions, (pending, timeoutMs) -> {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      pending.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
      // Within a round the admin client asks again by itself for a partition whose leader does not serve it yet.
      ListOffsetsResult result = admin.listOffsets(latest, new ListOffsetsOptions().timeoutMs(timeoutMs));
      Map<TopicPartition, KafkaFuture<Object>> answers = new HashMap<>();
      pending.forEach(partition -> answers.put(partition, result.partitionResult(partition).thenApply(info -> info)));
      return answers;
    }, SERVED_WAIT).thenAccept(answers -> {
      Map<String, Throwable> unserved = new HashMap<>();
      answers.failed().forEach((partition, cause) -> unserved.putIfAbsent(partition.topic(), cause));
      for (TopicReport report : reports) {
        Throwable cause = unserved.get(report.topic());
        if (cause == null) {
          ensured.get(report.topic()).complete(report);
        } else {
          ensured.get(report.topic()).completeExceptionally(refused(report.topic(), "it exists but is not served after "
              + SERVED_WAIT.toSeconds() + " s", cause));
        }
      }
    });
  }

  private static Throwable failureOf(KafkaFuture<?> future) {
    try {
      future.getNow(null);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | RuntimeException e) {
      return e;
    }
  }

  private static IllegalStateException refused(String topic, String what, Throwable cause) {
    Throwable reason = unwrapped(cause);
    return new IllegalStateException("Kafka topic '" + topic + "': " + what + ": " + reason.getMessage(), reason);
  }

  private static Throwable unwrapped(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
