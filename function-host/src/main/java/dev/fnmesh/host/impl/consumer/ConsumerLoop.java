package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.ConsumerThread;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.TriggerSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * One replica's Kafka consumer, on a thread of its own because a consumer is not thread-safe and its
 * calls block. It fetches, hands each fetched batch to the dispatcher's event loop in one hop, pauses
 * fetching while too many events are unfinished, and commits finished prefixes on a timer, on partition
 * revocation and on close. A failure ends it: the replica consumes no more, and {@link #stop} fails.
 */
final class ConsumerLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long PAUSED_WAIT_NANOS = Duration.ofMillis(5).toNanos();
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
  // Never waited for: failed() ends the thread instead of restarting it.
  private static final Duration NO_RESTART = Duration.ZERO;
  // The drain, then the consumer's default close timeout.
  private static final Duration CLOSE_WAIT = DRAIN_LIMIT.plusSeconds(30);

  private final TriggerSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final OffsetTracker tracker;
  private final RecordDispatcher dispatcher;
  private final Context context;
  private final ConsumerThread thread;
  private boolean paused;
  private boolean failed;
  private long nextCommit;

  ConsumerLoop(TriggerSettings settings, KafkaSettings kafka, OffsetTracker tracker, RecordDispatcher dispatcher,
      Context context, String threadName) {
    this.settings = settings;
    this.tracker = tracker;
    this.dispatcher = dispatcher;
    this.context = context;
    this.consumer = new KafkaConsumer<>(kafka.consumerConfig(
        "fnmesh-" + settings.name() + "-" + UUID.randomUUID(), settings.groupId(), settings.startFrom()));
    this.thread = new ConsumerThread(threadName, NO_RESTART, CLOSE_WAIT, new Polling());
  }

  void start() {
    thread.start();
  }

  /** Asks the loop to finish its in-flight events, commit and close; the future completes when it did. */
  Future<Void> stop() {
    return thread.stop();
  }

  // KAFKA-21084: with the consumer group protocol, poll(timeout) on a consumer whose partitions are all
  // paused spins on the CPU for the whole timeout. So wait here instead and poll without a timeout, which
  // still runs rebalance callbacks and commit completions.
  private static Duration waitWhilePaused() {
    LockSupport.parkNanos(PAUSED_WAIT_NANOS);
    return Duration.ZERO;
  }

  private void applyBackpressure() {
    int inFlight = tracker.inFlight();
    if (!paused && inFlight >= settings.maxPending()) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && inFlight <= settings.maxPending() / 2) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  private void commitIfDue() {
    long now = System.nanoTime();
    if (now - nextCommit < 0) {
      return;
    }
    nextCommit = now + settings.commitInterval().toNanos();
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (committed, failure) -> {
        if (failure != null) {
          LOG.warn("commit failed trigger={} offsets={} cause={}", settings.name(), committed, failure.getMessage());
        }
      });
    }
  }

  // Stop fetching, give the events in flight a bounded time to finish, then commit what finished.
  private void drainAndClose() {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (tracker.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        consumer.poll(waitWhilePaused());
      } catch (WakeupException e) {
        // The stop's wake-up, left pending when it came between two polls: it fires once.
      }
    }
    commitNow(tracker.committable());
    consumer.close();
  }

  private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      commitSync(offsets);
    } catch (RuntimeException e) {
      LOG.warn("commit failed trigger={} offsets={} cause={}", settings.name(), offsets, e.getMessage());
    }
  }

  private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      // A stop's wake-up fires once, in whichever blocking call comes first: the commit still counts.
      consumer.commitSync(offsets);
    }
  }

  private void closeQuietly() {
    try {
      consumer.close(Duration.ofSeconds(1));
    } catch (RuntimeException e) {
      LOG.debug("close after failure trigger={} cause={}", settings.name(), e.getMessage());
    }
  }

  /** What the consumer thread runs; everything here, the rebalance callbacks included, is on that thread. */
  private final class Polling implements ConsumerThread.Work {

    @Override
    public Consumer<byte[], byte[]> open() {
      consumer.subscribe(List.of(settings.topic()), new Rebalance());
      return consumer;
    }

    @Override
    public void step() {
      applyBackpressure();
      ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? waitWhilePaused() : POLL);
      if (!records.isEmpty()) {
        for (TopicPartition partition : records.partitions()) {
          tracker.track(partition, records.records(partition));
        }
        context.runOnContext(v -> dispatcher.dispatch(records));
      }
      commitIfDue();
    }

    @Override
    public boolean failed(RuntimeException failure) {
      LOG.error("consumer stopped on error trigger={}", settings.name(), failure);
      failed = true;
      return false;
    }

    @Override
    public void close() {
      if (failed) {
        closeQuietly();
        return;
      }
      try {
        drainAndClose();
      } catch (RuntimeException e) {
        closeQuietly();
        throw e;
      }
    }
  }

  /** Runs inside poll() on this thread, so it may call the consumer. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Every partition is still owned while this runs, so commit them all rather than only the revoked ones.
      commitNow(tracker.committable());
      lose(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("partitions assigned trigger={} partitions={}", settings.name(), partitions);
      if (paused) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      lose(partitions);
    }

    private void lose(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      LOG.info("partitions revoked trigger={} partitions={}", settings.name(), partitions);
      tracker.forget(partitions);
      context.runOnContext(v -> dispatcher.revoke(partitions));
    }
  }
}
