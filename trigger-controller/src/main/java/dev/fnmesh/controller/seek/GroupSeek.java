package dev.fnmesh.controller.seek;

import dev.fnmesh.controller.scale.TriggerHolds;
import dev.fnmesh.mesh.StartFrom;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Moves a trigger's consumer group to a position on every partition of its topic: by time, to the oldest
 * event kept or to the end. Kafka moves a group's offsets only while it has no member, so the trigger is
 * held at zero replicas (by whoever places them: this process, or the controller for its hosts), the seek
 * waits until the group is empty, moves it and releases the trigger, which then scales by its new lag.
 * Every Kafka call is the Admin's, asynchronous: nothing here blocks.
 */
public final class GroupSeek {

  /** How long the group may take to lose its members once its replicas were asked to stop. */
  public static final Duration EMPTY_WAIT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(GroupSeek.class);
  private static final long EMPTY_POLL_MS = 200;

  private final Vertx vertx;
  private final Admin admin;
  private final TriggerHolds holds;
  private final Duration emptyWait;

  public GroupSeek(Vertx vertx, Admin admin, TriggerHolds holds) {
    this(vertx, admin, holds, EMPTY_WAIT);
  }

  GroupSeek(Vertx vertx, Admin admin, TriggerHolds holds, Duration emptyWait) {
    this.vertx = vertx;
    this.admin = admin;
    this.holds = holds;
    this.emptyWait = emptyWait;
  }

  /** The group kept members longer than {@link #EMPTY_WAIT}: nothing was moved. */
  public static final class GroupBusy extends RuntimeException {
    GroupBusy(String message) {
      super(message);
    }
  }

  /**
   * @param to {@link StartFrom#EARLIEST}, {@link StartFrom#LATEST} or a time: the first event at or after it,
   *     the end of a partition where none is that recent
   * @return the move on every partition, in partition order; fails with {@link GroupBusy} when the group did
   *     not lose its members in time, or with Kafka's error (nothing moved in both cases). The trigger is
   *     released whatever happens.
   */
  public Future<List<PartitionMove>> seek(String trigger, String topic, String group, StartFrom to) {
    LOG.info("seeking trigger={} group={} topic={} to={}", trigger, group, topic, to.text());
    return holds.hold(trigger, "held at zero while its offsets move to " + to.text())
        .compose(held -> emptied(group, System.nanoTime() + emptyWait.toNanos()))
        .compose(empty -> move(topic, group, to))
        .onSuccess(moves -> LOG.info("seeked trigger={} group={} moves={}", trigger, group, moves))
        .onFailure(e -> LOG.warn("seek failed trigger={} group={} cause={}", trigger, group, e.toString()))
        .eventually(() -> {
          holds.release(trigger);
          return Future.succeededFuture();
        });
  }

  private Future<Void> emptied(String group, long deadline) {
    return fromKafka(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group))
        .map(ConsumerGroupDescription::members)
        .recover(e -> e instanceof GroupIdNotFoundException ? Future.succeededFuture(List.of()) : Future.failedFuture(e))
        .compose(members -> {
          if (members.isEmpty()) {
            return Future.succeededFuture();
          }
          if (System.nanoTime() > deadline) {
            return Future.failedFuture(new GroupBusy("consumer group '" + group + "' still has " + members.size()
                + " member(s) " + emptyWait.toSeconds() + " s after its replicas were asked to stop (a host that"
                + " cannot be reached keeps them until the broker's session timeout); nothing was moved, try again"));
          }
          Promise<Void> later = Promise.promise();
          vertx.setTimer(EMPTY_POLL_MS, id -> emptied(group, deadline).onComplete(later));
          return later.future();
        });
  }

  private Future<List<PartitionMove>> move(String topic, String group, StartFrom to) {
    Future<List<TopicPartition>> partitions = fromKafka(admin.describeTopics(List.of(topic)).allTopicNames())
        .map(topics -> topics.get(topic).partitions().stream().map(info -> new TopicPartition(topic, info.partition()))
            .toList());
    return partitions.compose(list -> {
      Future<Map<TopicPartition, OffsetAndMetadata>> before = fromKafka(admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata())
          .recover(e -> e instanceof GroupIdNotFoundException ? Future.succeededFuture(Map.of()) : Future.failedFuture(e));
      Future<Map<TopicPartition, ListOffsetsResultInfo>> ends = offsets(list, OffsetSpec.latest());
      Future<Map<TopicPartition, ListOffsetsResultInfo>> wanted = switch (to.position()) {
        case EARLIEST -> offsets(list, OffsetSpec.earliest());
        case LATEST -> ends;
        case TIMESTAMP -> offsets(list, OffsetSpec.forTimestamp(to.timestamp().orElseThrow().toEpochMilli()));
      };
      return Future.all(before, ends, wanted).compose(all -> {
        Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
        for (TopicPartition partition : list) {
          long offset = wanted.result().get(partition).offset();
          // No event at or after the time: the end, as a trigger starting by time does.
          target.put(partition, new OffsetAndMetadata(offset < 0 ? ends.result().get(partition).offset() : offset));
        }
        return fromKafka(admin.alterConsumerGroupOffsets(group, target).all()).map(altered -> list.stream()
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .map(partition -> new PartitionMove(partition.partition(), committed(before.result().get(partition)),
                target.get(partition).offset()))
            .toList());
      });
    });
  }

  private Future<Map<TopicPartition, ListOffsetsResultInfo>> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
    return fromKafka(admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)))
        .all());
  }

  private static OptionalLong committed(OffsetAndMetadata commit) {
    return commit == null ? OptionalLong.empty() : OptionalLong.of(commit.offset());
  }

  // Completed on the Admin's thread, continued on the caller's context.
  private <T> Future<T> fromKafka(KafkaFuture<T> future) {
    Promise<T> promise = Promise.promise();
    var context = vertx.getOrCreateContext();
    future.whenComplete((value, failure) -> context.runOnContext(v -> {
      if (failure == null) {
        promise.complete(value);
      } else {
        promise.fail(unwrap(failure));
      }
    }));
    return promise.future();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
