package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.ConsumerThread;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.mesh.StartFrom;
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

/**
 * One replica's Kafka consumer, on a thread of its own because a consumer is not thread-safe and its
 * calls block. It fetches, hands each fetched batch to the dispatcher's event loop in one hop, pauses
 * fetching while too many events are unfinished and for stalled partitions, and commits finished prefixes
 * on a timer (a failed commit is offered again), on partition revocation and on close. A failure ends
 * it, and {@link #ended} fails: the replica replaces it with a new one.
 */
final class ConsumerLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
  // Never waited for: failed() ends the thread, and the replica starts a new consumer afresh.
  private static final Duration NO_RESTART = Duration.ZERO;
  // The drain, then the consumer's default close timeout.
  private static final Duration CLOSE_WAIT = DRAIN_LIMIT.plusSeconds(30);

  private final TriggerSettings settings;
  private final KafkaSettings kafka;
  private final OffsetTracker tracker;
  private final RecordDispatcher dispatcher;
  private final FetchPauses pauses;
  private final Context context;
  private final Runnable running;
  private final TriggerStats stats;
  private final ConsumerThread thread;
  // Null when the trigger delivers at least once: offsets are then committed by the consumer alone.
  private final TransactionalOutcomes transactions;
  private final StartPositions starts;
  private volatile boolean stopAsked;
  // On the consumer thread only.
  private Consumer<byte[], byte[]> consumer;
  private AutoCloseable consumerMeters;
  private boolean ran;
  private long nextCommit;
  // Whether every record up to the consumer's position was handed to the tracker (see Polling.step).
  private boolean fetchedAllTracked = true;

  /** @param running told, on the consumer thread, once the consumer polled without failing */
  ConsumerLoop(TriggerSettings settings, KafkaSettings kafka, OffsetTracker tracker, RecordDispatcher dispatcher,
      PartitionStalls stalls, TriggerStats stats, Context context, String threadName, Runnable running) {
    this(settings, kafka, tracker, dispatcher, stalls, stats, context, threadName, running, null);
  }

  /** @param transactions where outcomes and offsets are committed together, for exactly-once delivery; else null */
  ConsumerLoop(TriggerSettings settings, KafkaSettings kafka, OffsetTracker tracker, RecordDispatcher dispatcher,
      PartitionStalls stalls, TriggerStats stats, Context context, String threadName, Runnable running,
      TransactionalOutcomes transactions) {
    this.transactions = transactions;
    this.settings = settings;
    this.kafka = kafka;
    this.tracker = tracker;
    this.dispatcher = dispatcher;
    this.pauses = new FetchPauses(settings.maxPending(), stalls);
    this.context = context;
    this.running = running;
    this.stats = stats;
    this.thread = new ConsumerThread(threadName, NO_RESTART, CLOSE_WAIT, new Polling());
    this.starts = new StartPositions(settings.name(), StartFrom.parse(settings.startFrom()));
  }

  void start() {
    thread.start();
  }

  /** Asks the loop to finish its in-flight events, commit and close; the future completes when it did. */
  Future<Void> stop() {
    stopAsked = true;
    return thread.stop();
  }

  /** Completes when the loop ended; fails when it ended on a failure rather than a stop. */
  Future<Void> ended() {
    return thread.ended();
  }

  private void commitIfDue() {
    if (transactions != null) {
      // A transaction that fails throws: the consumer dies, and its replacement reads from the committed offsets.
      if (transactions.due()) {
        transactions.commit(consumer, this::position);
      }
      return;
    }
    long now = System.nanoTime();
    if (now - nextCommit < 0) {
      return;
    }
    nextCommit = now + settings.commitInterval().toNanos();
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(this::position);
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (committed, failure) -> {
        if (failure != null) {
          // Offered again at the next commit, also for a partition that finished nothing since.
          LOG.warn("commit failed, retrying trigger={} offsets={} cause={}", settings.name(), offsets,
              failure.getMessage());
          tracker.commitFailed(offsets);
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
        consumer.poll(FetchPauses.waitWhilePaused());
      } catch (WakeupException e) {
        // The stop's wake-up, left pending when it came between two polls: it fires once.
      }
      if (transactions != null && transactions.due()) {
        // Staged outcomes stay unfinished until their transaction commits.
        commitFinished();
      }
    }
    commitFinished();
    consumer.close();
  }

  /**
   * The next offset the consumer fetches in the partition, when known without asking the brokers and every
   * record before it was handed to the tracker; else -1.
   */
  private long position(TopicPartition partition) {
    if (!fetchedAllTracked) {
      return -1;
    }
    try {
      return consumer.position(partition, Duration.ZERO);
    } catch (RuntimeException unknown) {
      // Not assigned any more, or no position without a lookup (a timeout): commit the finished prefix only.
      return -1;
    }
  }

  /** Commits what finished now, in a transaction with the staged outcomes when exactly once. */
  private void commitFinished() {
    if (transactions == null) {
      commitNow(tracker.committable(this::position));
      return;
    }
    try {
      transactions.commit(consumer, this::position);
    } catch (RuntimeException e) {
      // Nothing of it is visible: the partitions' next owner handles these events again.
      LOG.warn("transaction failed trigger={} cause={}", settings.name(), e.getMessage());
      if (!stopAsked) {
        throw e;
      }
    }
  }

  private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      commitSync(offsets);
    } catch (RuntimeException e) {
      LOG.warn("commit failed trigger={} offsets={} cause={}", settings.name(), offsets, e.getMessage());
      tracker.commitFailed(offsets);
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
    if (consumer == null) {
      return;
    }
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
      // Created here, on its own thread: creating a consumer blocks (DNS, config parsing).
      consumer = new KafkaConsumer<>(kafka.consumerConfig("fnmesh-" + settings.name() + "-" + UUID.randomUUID(),
          settings.groupId(), starts.resetPolicy()));
      consumerMeters = stats.meter(consumer);
      if (transactions != null) {
        transactions.openProducer();
      }
      consumer.subscribe(List.of(settings.topic()), new Rebalance());
      return consumer;
    }

    @Override
    public void step() {
      pauses.apply(consumer, tracker.inFlight());
      // A poll moves the position before it returns the records: while it runs (its rebalance callbacks), or
      // after it threw (an interceptor's Error, then the revoke on close), the position may be past records
      // nobody tracked, and committing it would skip them.
      fetchedAllTracked = false;
      ConsumerRecords<byte[], byte[]> records = consumer.poll(pauses.pollTimeout(consumer, POLL));
      if (!ran) {
        ran = true;
        running.run();
      }
      if (!records.isEmpty()) {
        for (TopicPartition partition : records.partitions()) {
          tracker.track(partition, records.records(partition));
        }
        context.runOnContext(v -> dispatcher.dispatch(records));
      }
      fetchedAllTracked = true;
      commitIfDue();
    }

    @Override
    public boolean failed(RuntimeException failure) {
      LOG.error("consumer stopped on error trigger={}", settings.name(), failure);
      return false;
    }

    @Override
    public void close() {
      try {
        // Not asked to stop: a failure or an Error ends the thread, and a new consumer takes over.
        if (!stopAsked || consumer == null) {
          closeQuietly();
          return;
        }
        try {
          drainAndClose();
        } catch (RuntimeException e) {
          closeQuietly();
          throw e;
        }
      } finally {
        if (transactions != null) {
          transactions.closeProducer(Duration.ofSeconds(1));
        }
        unmeter();
      }
    }

    // The closed consumer's series leave /metrics; its replacement, if any, has a client id of its own.
    private void unmeter() {
      if (consumerMeters == null) {
        return;
      }
      try {
        consumerMeters.close();
      } catch (Exception e) {
        LOG.warn("consumer metrics not removed trigger={} cause={}", settings.name(), e.toString());
      }
      consumerMeters = null;
    }
  }

  /** Runs inside poll() on this thread, so it may call the consumer. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Every partition is still owned while this runs, so commit them all rather than only the revoked ones.
      commitFinished();
      lose(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("partitions assigned trigger={} partitions={}", settings.name(), partitions);
      tracker.assign(partitions);
      starts.assigned(consumer, partitions, tracker.retries());
      pauses.assigned(consumer, partitions);
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
      pauses.revoked(partitions);
      context.runOnContext(v -> dispatcher.revoke(partitions));
    }
  }
}
