package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.TriggerStats.Outcome;
import io.vertx.core.Context;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Makes the outcome of an event durable, its replies or its dead letter, and finishes the event's offset once
 * Kafka acknowledged it, so nothing after it is committed before. A write is never dropped: a retriable
 * failure is retried after a second; a dead letter too large for its topic is written again without its
 * data; a write Kafka refuses for good (not authorized, an invalid topic, a reply too large), or that
 * fails again after its retry (an unknown topic, a broker away for long), stalls its partition, visibly,
 * and is retried with a backoff from 1 s doubling to 30 s until it goes through or the partition leaves
 * the replica. Failures are decided on the trigger's context.
 */
final class OutcomeWrites {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeWrites.class);
  static final Duration RETRY = Duration.ofSeconds(1);
  static final Backoff STALLED_RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /**
   * One write of an outcome.
   *
   * @param what what it is, for logs and the stall's reason: {@code reply}, {@code dead letter}
   * @param topic where it goes
   * @param send makes the write; its stage fails when Kafka did not take it
   * @param whenTooLarge the smaller write to make instead when Kafka refuses this one as too large
   */
  record Write(String what, String topic, Supplier<CompletionStage<Void>> send, Optional<Write> whenTooLarge) {

    static Write of(String what, String topic, Supplier<CompletionStage<Void>> send) {
      return new Write(what, topic, send, Optional.empty());
    }

    /**
     * The writes of one event's outcome as one: made together (in one call of the send, so a transaction
     * stages them together), it succeeds once each went through. A try after a failure makes only those not
     * acknowledged yet, so a reply is not written twice for another's failure.
     */
    static Write all(String plural, List<Write> writes) {
      if (writes.size() == 1) {
        return writes.get(0);
      }
      // Filled in on producer threads, read once all of a try's writes completed.
      Throwable[] failures = new Throwable[writes.size()];
      boolean[] acknowledged = new boolean[writes.size()];
      Supplier<CompletionStage<Void>> send = () -> {
        boolean[] done;
        synchronized (acknowledged) {
          done = acknowledged.clone();
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
          if (!done[i]) {
            int index = i;
            sent.add(sent(writes.get(i)).<Void>handle((ok, failure) -> {
              synchronized (acknowledged) {
                acknowledged[index] = failure == null;
                failures[index] = failure;
              }
              return null;
            }).toCompletableFuture());
          }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenCompose(all -> {
          synchronized (acknowledged) {
            for (int i = 0; i < acknowledged.length; i++) {
              if (!acknowledged[i]) {
                return CompletableFuture.<Void>failedFuture(failures[i]);
              }
            }
          }
          return CompletableFuture.<Void>completedFuture(null);
        });
      };
      String topics = String.join("', '", writes.stream().map(Write::topic).distinct().toList());
      return new Write(writes.size() + " " + plural, topics, send, Optional.empty());
    }

    private static CompletionStage<Void> sent(Write write) {
      try {
        return write.send().get();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private final String trigger;
  private final OffsetTracker tracker;
  private final PartitionStalls stalls;
  private final TriggerStats stats;
  private final Context context;
  private final Sends sends;

  /** How a write is made for an event: at once, or staged in the replica's next transaction. */
  @FunctionalInterface
  interface Sends {

    Sends AT_ONCE = (partition, offset, write) -> write.get();

    CompletionStage<Void> send(TopicPartition partition, long offset, Supplier<CompletionStage<Void>> write);
  }

  OutcomeWrites(String trigger, OffsetTracker tracker, PartitionStalls stalls, TriggerStats stats, Context context) {
    this(trigger, tracker, stalls, stats, context, Sends.AT_ONCE);
  }

  OutcomeWrites(String trigger, OffsetTracker tracker, PartitionStalls stalls, TriggerStats stats, Context context,
      Sends sends) {
    this.sends = sends;
    this.trigger = trigger;
    this.tracker = tracker;
    this.stalls = stalls;
    this.stats = stats;
    this.context = context;
  }

  /**
   * Writes the replies to the event {@code record} (one write, or several as {@link Write#all}); its offset is
   * finished once Kafka took every one.
   */
  void reply(TopicPartition partition, ConsumerRecord<?, ?> record, Write write) {
    send(partition, record.offset(), new Ending(Outcome.SUCCEEDED, record.timestamp()), write, 0);
  }

  /** Writes the dead letter of the event {@code record}; its offset is finished once Kafka took it. */
  void deadLetter(TopicPartition partition, ConsumerRecord<?, ?> record, Write write) {
    send(partition, record.offset(), new Ending(Outcome.DEAD_LETTERED, record.timestamp()), write, 0);
  }

  /** What the event ends as once the write went through, and when it arrived in Kafka, for its latency. */
  private record Ending(Outcome outcome, long eventTimestamp) {}

  /** @param failures how many tries of this write failed before */
  private void send(TopicPartition partition, long offset, Ending ending, Write write, int failures) {
    CompletionStage<Void> sent;
    try {
      sent = sends.send(partition, offset, write.send());
    } catch (RuntimeException e) {
      // A write that cannot even be made fails like one Kafka refused, never leaving the offset open.
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ok, failure) -> {
      if (failure == null) {
        // On the producer's thread: the tracker is thread-safe, the stalls live on the context.
        tracker.finish(partition, offset);
        stats.ended(ending.outcome(), ending.eventTimestamp());
        if (failures > 0) {
          context.runOnContext(v -> resumed(partition, offset, write));
        }
      } else {
        context.runOnContext(v -> failed(partition, offset, ending, write, failures + 1, failure));
      }
    });
  }

  private void failed(TopicPartition partition, long offset, Ending ending, Write write, int failures, Throwable failure) {
    if (!tracker.owns(partition)) {
      // Revoked: the new owner reads the event again and writes its outcome itself.
      return;
    }
    WriteFailure kind = WriteFailure.of(failure);
    String cause = WriteFailure.describe(failure);
    if (kind == WriteFailure.TOO_LARGE && write.whenTooLarge().isPresent()) {
      LOG.warn("{} too large, writing it without its data trigger={} partition={} offset={} topic={} cause={}",
          write.what(), trigger, partition, offset, write.topic(), cause);
      // The failures go on counting: a success must find out whether the partition stalled on this offset.
      send(partition, offset, ending, write.whenTooLarge().get(), failures);
      return;
    }
    if (kind == WriteFailure.RETRIABLE && failures == 1) {
      LOG.warn("{} write failed, retrying trigger={} partition={} offset={} topic={} cause={}", write.what(), trigger,
          partition, offset, write.topic(), cause);
      retryAfter(RETRY, partition, offset, ending, write, failures);
      return;
    }
    Duration delay = STALLED_RETRY.delay(failures);
    String reason = write.what() + " to topic '" + write.topic() + "' " + (kind == WriteFailure.RETRIABLE
        ? "failed " + failures + " times: " : "refused: ") + cause;
    if (!stalls.stalled(partition)) {
      LOG.error("partition stalled trigger={} partition={} offset={} retryInMs={} reason=\"{}\"", trigger, partition,
          offset, delay.toMillis(), reason);
    } else {
      LOG.warn("partition still stalled trigger={} partition={} offset={} tries={} retryInMs={} reason=\"{}\"", trigger,
          partition, offset, failures, delay.toMillis(), reason);
    }
    stalls.stall(partition, offset, reason);
    retryAfter(delay, partition, offset, ending, write, failures);
  }

  private void retryAfter(Duration delay, TopicPartition partition, long offset, Ending ending, Write write,
      int failures) {
    context.owner().setTimer(delay.toMillis(), id -> {
      if (tracker.owns(partition)) {
        send(partition, offset, ending, write, failures);
      }
    });
  }

  private void resumed(TopicPartition partition, long offset, Write write) {
    if (stalls.stalled(partition)) {
      LOG.info("stalled {} written, partition resumes trigger={} partition={} offset={} topic={}", write.what(), trigger,
          partition, offset, write.topic());
    }
    stalls.resume(partition, offset);
  }
}
