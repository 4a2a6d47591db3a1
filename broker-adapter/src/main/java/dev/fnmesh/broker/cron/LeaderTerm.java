package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.cron.TriggerTable.Tick;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.Tracing;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What this process does while it owns the state topic's partition: fence the previous leader, read the
 * state to its end, then fire due ticks in transactions. A failed transaction starts the term over, so
 * the state is read again before anything fires. Used by the cron thread only.
 */
final class LeaderTerm {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderTerm.class);
  static final Duration RETRY = Duration.ofSeconds(1);
  // While reading the state a poll returns as soon as records arrive; this bounds the wait for the end.
  private static final Duration SYNC_POLL = Duration.ofMillis(50);

  private enum Phase { FOLLOWER, ASSIGNED, SYNCING, LEADING }

  private final Map<String, Object> producerConfig;
  private final String stateTopic;
  private final TopicPartition statePartition;
  private final TriggerTable table;
  private final CronTopics topics;
  private final Clock clock;
  private final String instance;
  private final StateSignatures signatures;
  private final Tracing tracing;
  private final KafkaClientMeters meters;
  private volatile boolean leading;
  private TickTransactions transactions;
  private Phase phase = Phase.FOLLOWER;
  private Instant retryAt = Instant.MIN;
  private Instant assignedAt = Instant.MIN;
  private Instant fencedAt = Instant.MIN;
  private long stateEnd;

  LeaderTerm(Map<String, Object> producerConfig, String stateTopic, TriggerTable table, CronTopics topics,
      Clock clock, String instance, StateSignatures signatures, Tracing tracing, KafkaClientMeters meters) {
    this.tracing = tracing;
    this.meters = meters;
    this.producerConfig = producerConfig;
    this.stateTopic = stateTopic;
    this.statePartition = new TopicPartition(stateTopic, CronStateRecords.PARTITION);
    this.table = table;
    this.topics = topics;
    this.clock = clock;
    this.instance = instance;
    this.signatures = signatures;
  }

  TopicPartition statePartition() {
    return statePartition;
  }

  /** Whether this process fires ticks now; readable from any thread. */
  boolean isLeading() {
    return leading;
  }

  /** The partition was assigned: the term starts at the next {@link #beforePoll}. */
  void assigned() {
    assignedAt = clock.instant();
    retryAt = Instant.MIN;
    phase = Phase.ASSIGNED;
  }

  /** Starts the term when it is due: fences the previous leader, then seeks to the state's beginning. */
  void beforePoll(Consumer<byte[], byte[]> consumer) {
    if (phase != Phase.ASSIGNED || clock.instant().isBefore(retryAt)) {
      return;
    }
    closeTransactions();
    table.forgetState();
    try {
      // Fencing first completes or aborts the old leader's open transaction, so the state read next is final.
      transactions = new TickTransactions(producerConfig, stateTopic, signatures, tracing, meters);
      fencedAt = clock.instant();
      consumer.seekToBeginning(List.of(statePartition));
      stateEnd = consumer.endOffsets(List.of(statePartition)).get(statePartition);
      phase = Phase.SYNCING;
      startLeadingWhenRead(consumer);
    } catch (WakeupException e) {
      // Not a failure: the cron thread was asked for attention; the term starts again at the next step.
      closeTransactions();
      phase = Phase.ASSIGNED;
      throw e;
    } catch (KafkaException e) {
      LOG.warn("cron leader term could not start instance={} retryIn={}ms error={}", instance, RETRY.toMillis(),
          e.toString());
      closeTransactions();
      retryAt = clock.instant().plus(RETRY);
    }
  }

  /** Learns the state from what the poll read, starts leading once it is read to its end, fires due ticks. */
  void afterPoll(Iterable<ConsumerRecord<byte[], byte[]>> records, Consumer<byte[], byte[]> consumer) {
    records.forEach(this::readState);
    startLeadingWhenRead(consumer);
    if (phase == Phase.LEADING) {
      fireDue();
    }
  }

  /** When the cron thread must be awake again at the latest. */
  Instant wakeAt(Instant now, Duration idle) {
    return switch (phase) {
      case FOLLOWER -> now.plus(idle);
      case ASSIGNED -> retryAt;
      case SYNCING -> now.plus(SYNC_POLL);
      case LEADING -> table.nextDue(trigger -> topics.isReady(trigger.topic())).orElse(now.plus(idle));
    };
  }

  /** Ends the term: no more ticks, an open transaction aborted. */
  void end() {
    if (leading) {
      LOG.info("cron leadership ended instance={}", instance);
    }
    leading = false;
    closeTransactions();
    table.stopLeading();
    phase = Phase.FOLLOWER;
  }

  private void startLeadingWhenRead(Consumer<byte[], byte[]> consumer) {
    if (phase != Phase.SYNCING || consumer.position(statePartition) < stateEnd) {
      return;
    }
    Instant now = clock.instant();
    table.startLeading(now);
    phase = Phase.LEADING;
    leading = true;
    LOG.info("cron leadership acquired instance={} triggers={} stateEndOffset={} fenceMs={} readStateMs={}",
        instance, table.triggers().size(), stateEnd, Duration.between(assignedAt, fencedAt).toMillis(),
        Duration.between(fencedAt, now).toMillis());
  }

  private void readState(ConsumerRecord<byte[], byte[]> record) {
    // A forged state record (a last fired tick far ahead) would silence the trigger: only signed ones count.
    if (!signatures.verify(record)) {
      return;
    }
    try {
      // A tombstone comes after the records it removes, which compaction may not have dropped yet.
      CronStateRecords.trigger(record).ifPresent(trigger -> CronStateRecords.lastFired(record)
          .ifPresentOrElse(at -> table.recordFired(trigger, at), () -> table.recordRemoved(trigger)));
    } catch (IllegalArgumentException e) {
      LOG.warn("cron state record ignored topic={} offset={} error={}", record.topic(), record.offset(),
          e.getMessage());
    }
  }

  /** Triggers were removed: while leading, their state is removed from the state topic too. */
  void forget(Collection<String> removed) {
    if (phase != Phase.LEADING || removed.isEmpty()) {
      return;
    }
    try {
      transactions.remove(removed);
      removed.forEach(table::recordRemoved);
      LOG.info("cron state removed triggers={} leader={}", removed, instance);
    } catch (KafkaException | IllegalStateException e) {
      // As with a failed tick: the next term reads the state again; the records stay until a later removal.
      LOG.warn("cron state removal failed instance={} triggers={} error={}", instance, removed, e.toString());
      restartTerm();
    }
  }

  private void fireDue() {
    Instant now = clock.instant();
    List<Tick> due = table.due(now, trigger -> topics.ready(trigger, now));
    if (due.isEmpty()) {
      return;
    }
    try {
      transactions.commit(due);
    } catch (KafkaException | IllegalStateException e) {
      // Fenced, or unknown whether it committed: the next term reads the state before firing anything.
      LOG.warn("cron tick transaction failed instance={} ticks={} retryIn={}ms error={}", instance, due.size(),
          RETRY.toMillis(), e.toString());
      restartTerm();
      return;
    }
    Instant committed = clock.instant();
    table.fired(due);
    for (Tick tick : due) {
      LOG.info("cron tick fired trigger={} scheduledAt={} firedAt={} committedAt={} leader={} lateMs={}",
          tick.trigger().name(), tick.scheduledAt(), now, committed, instance,
          Duration.between(tick.scheduledAt(), committed).toMillis());
    }
  }

  private void restartTerm() {
    end();
    phase = Phase.ASSIGNED;
    retryAt = clock.instant().plus(RETRY);
  }

  private void closeTransactions() {
    if (transactions != null) {
      transactions.close();
      transactions = null;
    }
  }
}
