package dev.fnmesh.controller.cron;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.controller.cron.TriggerTable.Tick;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cron thread: one consumer of the state topic in the cron group, and while it owns the topic's only
 * partition a leader term: fence the previous leader with the shared transactional id, read the state
 * topic to its end, then fire due ticks in transactions. Between ticks it waits in {@code poll}, bounded by
 * the time to the next tick; {@link #replace} and {@link #stop} wake it.
 */
final class CronLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CronLoop.class);
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final Duration SYNC_POLL = Duration.ofMillis(50);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private enum Phase { FOLLOWER, ASSIGNED, SYNCING, LEADING }

  private final KafkaSettings kafka;
  private final CronSchedulerSettings settings;
  private final String instance;
  private final Clock clock;
  private final TriggerTable table;
  private final TopicPartition statePartition;
  private final AtomicReference<List<CronSettings>> pending = new AtomicReference<>();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile boolean leader;
  private CronTopics topics;
  private TickTransactions transactions;
  private Phase phase = Phase.FOLLOWER;
  private Instant retryAt = Instant.MIN;
  private Instant assignedAt = Instant.MIN;
  private Instant fencedAt = Instant.MIN;
  private long stateEnd;

  CronLoop(KafkaSettings kafka, CronSchedulerSettings settings, String instance, Clock clock) {
    this.kafka = kafka;
    this.settings = settings;
    this.instance = instance;
    this.clock = clock;
    this.table = new TriggerTable(settings.lateTolerance());
    this.statePartition = new TopicPartition(settings.stateTopic(), CronStateRecords.PARTITION);
  }

  void replace(List<CronSettings> triggers) {
    pending.set(triggers);
    wakeUp();
  }

  void stop() {
    stopping.countDown();
    wakeUp();
  }

  boolean isLeader() {
    return leader;
  }

  @Override
  public void run() {
    try {
      topics = new CronTopics(kafka.adminConfig(instance + "-admin"));
      if (!ensureStateTopic()) {
        return;
      }
      consumer = new KafkaConsumer<>(consumerConfig());
      consumer.subscribe(List.of(settings.stateTopic()), new Leadership());
      while (stopping.getCount() > 0) {
        try {
          step();
        } catch (WakeupException e) {
          // replace() or stop() wants the loop's attention; the next step picks up either.
        }
      }
    } catch (RuntimeException e) {
      LOG.error("cron scheduler stopped on error instance={} error={}", instance, e.toString(), e);
    } finally {
      endTerm();
      if (consumer != null) {
        consumer.close(CLOSE_TIMEOUT);
      }
      if (topics != null) {
        topics.close();
      }
      LOG.info("cron scheduler stopped instance={}", instance);
    }
  }

  private boolean ensureStateTopic() {
    while (stopping.getCount() > 0) {
      try {
        topics.ensureStateTopic(settings.stateTopic());
        return true;
      } catch (IllegalStateException e) {
        LOG.warn("cron state topic not ready instance={} topic={} retryIn={}ms error={}", instance,
            settings.stateTopic(), RETRY.toMillis(), e.getMessage());
        awaitStop(RETRY);
      }
    }
    return false;
  }

  private void step() {
    List<CronSettings> replaced = pending.getAndSet(null);
    if (replaced != null) {
      Instant now = clock.instant();
      table.replace(replaced, now);
      LOG.info("cron triggers replaced instance={} triggers={}", instance, replaced.size());
      // Topics are created now, not at the first tick, which would then be late.
      replaced.forEach(trigger -> topics.ready(trigger, now));
    }
    if (phase == Phase.ASSIGNED && !clock.instant().isBefore(retryAt)) {
      beginTerm();
    }
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout())) {
      readState(record);
    }
    if (phase == Phase.SYNCING && consumer.position(statePartition) >= stateEnd) {
      startLeading();
    }
    if (phase == Phase.LEADING) {
      fireDue();
    }
  }

  private Duration pollTimeout() {
    Instant now = clock.instant();
    Instant wake = switch (phase) {
      case FOLLOWER -> now.plus(IDLE_POLL);
      case ASSIGNED -> retryAt;
      case SYNCING -> now.plus(SYNC_POLL);
      case LEADING -> table.nextDue(trigger -> topics.isReady(trigger.topic())).orElse(now.plus(IDLE_POLL));
    };
    Instant retry = topics.nextRetry().orElse(wake);
    Duration timeout = Duration.between(now, retry.isBefore(wake) ? retry : wake);
    return timeout.isNegative() ? Duration.ZERO : timeout.compareTo(IDLE_POLL) > 0 ? IDLE_POLL : timeout;
  }

  private void beginTerm() {
    closeTransactions();
    table.forgetState();
    try {
      // Fences the previous leader first, so that the state read next includes its last commit.
      transactions = new TickTransactions(producerConfig(), settings.stateTopic());
      fencedAt = clock.instant();
      consumer.seekToBeginning(List.of(statePartition));
      stateEnd = consumer.endOffsets(List.of(statePartition)).get(statePartition);
      phase = Phase.SYNCING;
    } catch (KafkaException e) {
      LOG.warn("cron leader term could not start instance={} retryIn={}ms error={}", instance, RETRY.toMillis(),
          e.toString());
      closeTransactions();
      retryAt = clock.instant().plus(RETRY);
    }
  }

  private void startLeading() {
    Instant now = clock.instant();
    table.startLeading(now);
    phase = Phase.LEADING;
    leader = true;
    LOG.info("cron leadership acquired instance={} triggers={} stateEndOffset={} fenceMs={} readStateMs={}",
        instance, table.triggers().size(), stateEnd, Duration.between(assignedAt, fencedAt).toMillis(),
        Duration.between(fencedAt, now).toMillis());
  }

  private void readState(ConsumerRecord<byte[], byte[]> record) {
    try {
      CronStateRecords.trigger(record).ifPresent(
          trigger -> CronStateRecords.lastFired(record).ifPresent(at -> table.recordFired(trigger, at)));
    } catch (IllegalArgumentException e) {
      LOG.warn("cron state record ignored topic={} offset={} error={}", record.topic(), record.offset(),
          e.getMessage());
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
      // Fenced, or unknown whether it committed: a new term reads the state again before firing anything.
      LOG.warn("cron tick transaction failed instance={} ticks={} retryIn={}ms error={}", instance, due.size(),
          RETRY.toMillis(), e.toString());
      endTerm();
      phase = Phase.ASSIGNED;
      retryAt = clock.instant().plus(RETRY);
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

  private void endTerm() {
    if (leader) {
      LOG.info("cron leadership ended instance={}", instance);
    }
    leader = false;
    closeTransactions();
    table.stopLeading();
    phase = Phase.FOLLOWER;
  }

  private void closeTransactions() {
    if (transactions != null) {
      transactions.close();
      transactions = null;
    }
  }

  private void wakeUp() {
    Consumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
  }

  private void awaitStop(Duration timeout) {
    try {
      stopping.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = kafka.consumerConfig(instance, settings.groupId(), "earliest");
    // Only committed ticks are state; an aborted transaction's state record must never count as fired.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The state read ends at a transaction marker, which a fetch skips only after waiting this long; only
    // the leader fetches, from a topic of one record per tick, so frequent fetches cost little.
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = kafka.producerConfig(instance + "-tx");
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    // A leader that dies inside a transaction blocks read_committed readers of the tick topics until it is
    // aborted: by the next leader's fencing, or by the coordinator after this timeout.
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    return config;
  }

  /** Leadership is ownership of the state topic's partition; the callbacks run inside poll, on this thread. */
  private final class Leadership implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.contains(statePartition)) {
        assignedAt = clock.instant();
        retryAt = Instant.MIN;
        phase = Phase.ASSIGNED;
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.contains(statePartition)) {
        endTerm();
      }
    }
  }
}
