package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.TriggerSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * revocation and on close.
 */
final class ConsumerLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long PAUSED_WAIT_NANOS = Duration.ofMillis(5).toNanos();
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);

  private final TriggerSettings settings;
  private final Consumer<byte[], byte[]> consumer;
  private final OffsetTracker tracker;
  private final RecordDispatcher dispatcher;
  private final Context context;
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean running = true;
  private boolean paused;
  private long nextCommit;

  ConsumerLoop(TriggerSettings settings, KafkaSettings kafka, OffsetTracker tracker, RecordDispatcher dispatcher,
      Context context) {
    this.settings = settings;
    this.tracker = tracker;
    this.dispatcher = dispatcher;
    this.context = context;
    this.consumer = new KafkaConsumer<>(kafka.consumerConfig(
        "fnmesh-" + settings.name() + "-" + UUID.randomUUID(), settings.groupId(), settings.startFrom()));
  }

  /** Asks the loop to finish its in-flight events, commit and close; the future completes when it did. */
  Future<Void> stop() {
    running = false;
    consumer.wakeup();
    return stopped.future();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new Rebalance());
      while (running) {
        pollOnce();
      }
      drainAndClose();
      stopped.complete();
    } catch (RuntimeException e) {
      LOG.error("consumer stopped on error trigger={}", settings.name(), e);
      closeQuietly();
      stopped.tryFail(e);
    }
  }

  private void pollOnce() {
    try {
      applyBackpressure();
      ConsumerRecords<byte[], byte[]> records = consumer.poll(paused ? waitWhilePaused() : POLL);
      if (!records.isEmpty()) {
        for (TopicPartition partition : records.partitions()) {
          tracker.track(partition, records.records(partition));
        }
        context.runOnContext(v -> dispatcher.dispatch(records));
      }
      commitIfDue();
    } catch (WakeupException e) {
      // stop() woke the poll; the loop condition decides what happens next.
    }
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
      consumer.poll(waitWhilePaused());
    }
    commitNow(tracker.committable());
    consumer.close();
  }

  private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (RuntimeException e) {
      LOG.warn("commit failed trigger={} offsets={} cause={}", settings.name(), offsets, e.getMessage());
    }
  }

  private void closeQuietly() {
    try {
      consumer.close(Duration.ofSeconds(1));
    } catch (RuntimeException e) {
      LOG.debug("close after failure trigger={} cause={}", settings.name(), e.getMessage());
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
