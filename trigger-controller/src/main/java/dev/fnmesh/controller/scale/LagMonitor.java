package dev.fnmesh.controller.scale;

import dev.fnmesh.mesh.StartFrom;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Measures a consumer group's lag on a topic with a Kafka {@link Admin}, without blocking any thread: four
 * Admin requests per measurement (three once a topic's partitions are known), all asynchronous. The Admin
 * is the caller's (one can serve every trigger) and is not closed here.
 */
public final class LagMonitor {

  /** How long a topic's partition list is trusted before it is described again. */
  public static final Duration DEFAULT_PARTITION_REFRESH = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
  // The trigger consumers read read_committed: their end is the last stable offset, not the high watermark.
  private static final ListOffsetsOptions READ_COMMITTED = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);

  private final Vertx vertx;
  private final Admin admin;
  private final Clock clock;
  private final Duration partitionRefresh;
  // Written from the Admin's network thread, read from callers' threads.
  private final Map<String, KnownPartitions> known = new ConcurrentHashMap<>();

  private record KnownPartitions(List<TopicPartition> partitions, Instant describedAt) {
  }

  /** @param byTime the first offsets at or after a start time, -1 where none is; empty for other starts */
  private record Offsets(Map<TopicPartition, ListOffsetsResultInfo> ends,
      Map<TopicPartition, ListOffsetsResultInfo> starts, Map<TopicPartition, ListOffsetsResultInfo> byTime) {

    Offsets(Map<TopicPartition, ListOffsetsResultInfo> ends, Map<TopicPartition, ListOffsetsResultInfo> starts) {
      this(ends, starts, Map.of());
    }

    long uncommittedStart(TopicPartition partition, StartFrom startFrom) {
      long end = ends.get(partition).offset();
      return switch (startFrom.position()) {
        case EARLIEST -> starts.get(partition).offset();
        case LATEST -> end;
        case TIMESTAMP -> {
          ListOffsetsResultInfo found = byTime.get(partition);
          yield found == null || found.offset() < 0 ? end : found.offset();
        }
      };
    }
  }

  public LagMonitor(Vertx vertx, Admin admin) {
    this(vertx, admin, Clock.systemUTC(), DEFAULT_PARTITION_REFRESH);
  }

  /**
   * @param partitionRefresh how long a topic's partition list is reused; a committed offset on a partition
   *     outside the list makes the next measurement describe the topic again sooner
   */
  public LagMonitor(Vertx vertx, Admin admin, Clock clock, Duration partitionRefresh) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.partitionRefresh = Objects.requireNonNull(partitionRefresh, "partitionRefresh");
  }

  /**
   * Measures the lag of {@code group} on every partition of {@code topic}. A group that does not exist yet
   * has no committed offsets; a partition without one counts from {@code startFrom}.
   *
   * <p>The Admin's network thread completes the Kafka requests; the returned future completes on the
   * context of the caller ({@code vertx.getOrCreateContext()} at call time: the calling verticle's event
   * loop, or a new event-loop context when called from outside Vert.x).
   *
   * @return fails with an {@link IllegalStateException} naming the group and topic when the topic does not
   *     exist or Kafka did not answer within the Admin's {@code default.api.timeout.ms}
   */
  public Future<LagReport> measure(String topic, String group, StartFrom startFrom) {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<LagReport> result = new CompletableFuture<>();
    partitions(topic)
        .thenCompose(partitions -> measure(topic, group, startFrom, partitions))
        .whenComplete((report, failure) -> {
          if (failure == null) {
            result.complete(report);
          } else {
            result.completeExceptionally(describe(topic, group, unwrap(failure)));
          }
        });
    return Future.fromCompletionStage(result, context);
  }

  /** Forgets the partition list of a topic, so the next measurement describes it again. */
  public void forget(String topic) {
    known.remove(topic);
  }

  private CompletionStage<List<TopicPartition>> partitions(String topic) {
    KnownPartitions cached = known.get(topic);
    if (cached != null && clock.instant().isBefore(cached.describedAt().plus(partitionRefresh))) {
      return CompletableFuture.completedFuture(cached.partitions());
    }
    return admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage().thenApply(topics -> {
      TopicDescription description = topics.get(topic);
      List<TopicPartition> partitions = description.partitions().stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      if (cached != null && cached.partitions().size() != partitions.size()) {
        LOG.info("topic partitions changed topic={} from={} to={}", topic, cached.partitions().size(),
            partitions.size());
      }
      known.put(topic, new KnownPartitions(partitions, clock.instant()));
      return partitions;
    });
  }

  private CompletionStage<LagReport> measure(String topic, String group, StartFrom startFrom,
      List<TopicPartition> partitions) {
    var ends = admin.listOffsets(specs(partitions, OffsetSpec.latest()), READ_COMMITTED).all().toCompletionStage();
    var starts = admin.listOffsets(specs(partitions, OffsetSpec.earliest())).all().toCompletionStage();
    // A start by time counts, where nothing is committed, from the first event at or after it.
    var byTime = startFrom.timestamp()
        .map(time -> admin.listOffsets(specs(partitions, OffsetSpec.forTimestamp(time.toEpochMilli())))
            .all().toCompletionStage())
        .orElse(CompletableFuture.completedFuture(Map.of()));
    var committed = committedOffsets(group);
    return ends.thenCombine(starts, Offsets::new)
        .thenCombine(byTime, (offsets, times) -> new Offsets(offsets.ends(), offsets.starts(), times))
        .thenCombine(committed, (offsets, commits) -> {
          noticeNewPartitions(topic, partitions, commits);
          List<PartitionLag> lags = partitions.stream().map(partition -> PartitionLag.of(partition.partition(),
              offsets.starts().get(partition).offset(), offsets.ends().get(partition).offset(),
              committedOffset(commits.get(partition)), offsets.uncommittedStart(partition, startFrom))).toList();
          return new LagReport(topic, group, lags, clock.instant());
        })
        .whenComplete((report, failure) -> {
          if (unwrap(failure) instanceof UnknownTopicOrPartitionException) {
            known.remove(topic); // partitions vanished (a deleted or recreated topic): describe it again
          }
        });
  }

  private CompletionStage<Map<TopicPartition, OffsetAndMetadata>> committedOffsets(String group) {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().toCompletionStage()
        .exceptionally(failure -> {
          if (unwrap(failure) instanceof GroupIdNotFoundException) {
            return Map.of(); // no member has committed yet
          }
          throw new CompletionException(unwrap(failure));
        });
  }

  // A consumer that already committed on a partition this monitor does not know proves the list is stale.
  private void noticeNewPartitions(String topic, List<TopicPartition> partitions,
      Map<TopicPartition, OffsetAndMetadata> commits) {
    boolean stale = commits.keySet().stream()
        .anyMatch(partition -> partition.topic().equals(topic) && !partitions.contains(partition));
    if (stale) {
      LOG.info("committed offset on an unknown partition, describing topic again topic={} known={}", topic,
          partitions.size());
      known.remove(topic);
    }
  }

  private static Map<TopicPartition, OffsetSpec> specs(List<TopicPartition> partitions, OffsetSpec spec) {
    return partitions.stream().collect(Collectors.toMap(Function.identity(), partition -> spec));
  }

  private static OptionalLong committedOffset(OffsetAndMetadata commit) {
    return commit == null ? OptionalLong.empty() : OptionalLong.of(commit.offset());
  }

  private static IllegalStateException describe(String topic, String group, Throwable cause) {
    String reason = cause instanceof UnknownTopicOrPartitionException
        ? "topic '" + topic + "' does not exist" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    return new IllegalStateException("could not measure the lag of group '" + group + "' on topic '" + topic
        + "': " + reason, cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
