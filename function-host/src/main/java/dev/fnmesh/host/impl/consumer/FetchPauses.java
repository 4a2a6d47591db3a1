package dev.fnmesh.host.impl.consumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Which partitions a replica's consumer fetches: none while too many events are in flight (paused at the
 * bound, resumed at half of it), and never a stalled one, whose records would only wait in memory behind
 * its stalled write and count against the bound the other partitions share. Used on the consumer thread
 * only.
 */
final class FetchPauses {

  private static final long PAUSED_WAIT_NANOS = Duration.ofMillis(5).toNanos();

  private final int maxPending;
  private final PartitionStalls stalls;
  private boolean paused;
  private Set<TopicPartition> pausedForStall = Set.of();

  FetchPauses(int maxPending, PartitionStalls stalls) {
    this.maxPending = maxPending;
    this.stalls = stalls;
  }

  /** Pauses and resumes partitions for the events now in flight and the partitions now stalled. */
  void apply(Consumer<?, ?> consumer, int inFlight) {
    if (!paused && inFlight >= maxPending) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && inFlight <= maxPending / 2) {
      consumer.resume(consumer.paused());
      paused = false;
      pausedForStall = Set.of();
    }
    if (!paused) {
      followStalls(consumer);
    }
  }

  /**
   * How long the next poll may wait. KAFKA-21084: with the consumer group protocol, poll(timeout) on a
   * consumer whose partitions are all paused spins on the CPU for the whole timeout. So wait here instead
   * and poll without a timeout, which still runs rebalance callbacks and commit completions.
   */
  Duration pollTimeout(Consumer<?, ?> consumer, Duration fetching) {
    boolean fetchesNothing = paused
        || (!pausedForStall.isEmpty() && pausedForStall.containsAll(consumer.assignment()));
    return fetchesNothing ? waitWhilePaused() : fetching;
  }

  /** Newly assigned partitions start paused while the consumer is. */
  void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (paused) {
      consumer.pause(partitions);
    }
  }

  void revoked(Collection<TopicPartition> partitions) {
    if (!pausedForStall.isEmpty()) {
      Set<TopicPartition> kept = new HashSet<>(pausedForStall);
      kept.removeAll(partitions);
      pausedForStall = kept;
    }
  }

  /** @return the timeout for a poll that only runs callbacks, after a short wait (see {@link #pollTimeout}) */
  static Duration waitWhilePaused() {
    LockSupport.parkNanos(PAUSED_WAIT_NANOS);
    return Duration.ZERO;
  }

  private void followStalls(Consumer<?, ?> consumer) {
    Set<TopicPartition> stalled = stalls.current();
    if (stalled.equals(pausedForStall)) {
      return;
    }
    Set<TopicPartition> assigned = consumer.assignment();
    Set<TopicPartition> resume = new HashSet<>(pausedForStall);
    resume.removeAll(stalled);
    resume.retainAll(assigned);
    Set<TopicPartition> pause = new HashSet<>(stalled);
    pause.retainAll(assigned);
    consumer.resume(resume);
    consumer.pause(pause);
    pausedForStall = pause;
  }
}
