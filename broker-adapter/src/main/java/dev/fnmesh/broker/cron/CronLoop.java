package dev.fnmesh.broker.cron;

import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cron thread. It owns every Kafka client of the scheduler: a member of the cron group on the state
 * topic, whose ownership of the topic's partition is a {@link LeaderTerm}. It waits in {@code poll},
 * bounded by the time to the next tick; {@link #replace} and {@link #stop} wake it.
 */
final class CronLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(CronLoop.class);
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaSettings kafka;
  private final CronSchedulerSettings settings;
  private final String instance;
  private final Clock clock;
  private final TriggerTable table;
  private final AtomicReference<List<TriggerSpec>> pending = new AtomicReference<>();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile LeaderTerm term;
  private CronTopics topics;

  CronLoop(KafkaSettings kafka, CronSchedulerSettings settings, String instance, Clock clock) {
    this.kafka = kafka;
    this.settings = settings;
    this.instance = instance;
    this.clock = clock;
    this.table = new TriggerTable(settings.lateTolerance());
  }

  void replace(List<TriggerSpec> triggers) {
    pending.set(triggers);
    wakeUp();
  }

  void stop() {
    stopping.countDown();
    wakeUp();
  }

  boolean isLeader() {
    LeaderTerm current = term;
    return current != null && current.isLeading();
  }

  @Override
  public void run() {
    try {
      topics = new CronTopics(CronClientConfigs.admin(kafka, instance));
      term = new LeaderTerm(CronClientConfigs.producer(kafka, settings, instance), settings.stateTopic(), table,
          topics, clock, instance);
      if (!ensureStateTopic()) {
        return;
      }
      consumer = new KafkaConsumer<>(CronClientConfigs.consumer(kafka, settings, instance));
      consumer.subscribe(List.of(settings.stateTopic()), new Leadership());
      LOG.info("cron scheduler started instance={} stateTopic={} group={}", instance, settings.stateTopic(),
          settings.groupId());
      while (running()) {
        try {
          step();
        } catch (WakeupException e) {
          // replace() or stop() wants the loop's attention; the next step picks up either.
        } catch (RuntimeException e) {
          recover(e);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("cron scheduler stopped on error instance={} error={}", instance, e.toString(), e);
    } finally {
      close();
    }
  }

  private boolean ensureStateTopic() {
    while (running()) {
      try {
        topics.ensureStateTopic(settings.stateTopic());
        return true;
      } catch (IllegalStateException e) {
        LOG.warn("cron state topic not ready instance={} topic={} retryIn={}ms error={}", instance,
            settings.stateTopic(), LeaderTerm.RETRY.toMillis(), e.getMessage());
        awaitStop(LeaderTerm.RETRY);
      }
    }
    return false;
  }

  private void step() {
    List<TriggerSpec> replaced = pending.getAndSet(null);
    if (replaced != null) {
      Instant now = clock.instant();
      Set<String> removed = new HashSet<>();
      table.triggers().forEach(trigger -> removed.add(trigger.name()));
      replaced.forEach(trigger -> removed.remove(trigger.name()));
      table.replace(replaced, now);
      term.forget(removed);
      LOG.info("cron triggers replaced instance={} triggers={}", instance, replaced.size());
      // Topics are created now, not at the first tick, which would then be late.
      replaced.forEach(trigger -> topics.ready(trigger, now));
    }
    term.beforePoll(consumer);
    term.afterPoll(consumer.poll(pollTimeout()), consumer);
  }

  private Duration pollTimeout() {
    Instant now = clock.instant();
    Instant wake = term.wakeAt(now, IDLE_POLL);
    Instant retry = topics.nextRetry().orElse(wake);
    Duration timeout = Duration.between(now, retry.isBefore(wake) ? retry : wake);
    return timeout.isNegative() ? Duration.ZERO : timeout.compareTo(IDLE_POLL) > 0 ? IDLE_POLL : timeout;
  }

  /** An unexpected failure ends the term; the loop goes on, leading again if it still owns the partition. */
  private void recover(RuntimeException e) {
    LOG.error("cron scheduler step failed instance={} retryIn={}ms error={}", instance,
        LeaderTerm.RETRY.toMillis(), e.toString(), e);
    term.end();
    awaitStop(LeaderTerm.RETRY);
    if (consumer.assignment().contains(term.statePartition())) {
      term.assigned();
    }
  }

  private void close() {
    if (term != null) {
      term.end();
    }
    if (consumer != null) {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    }
    if (topics != null) {
      topics.close();
    }
    LOG.info("cron scheduler stopped instance={}", instance);
  }

  private boolean running() {
    return stopping.getCount() > 0;
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

  /** Leadership is ownership of the state topic's partition; the callbacks run inside poll, on this thread. */
  private final class Leadership implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.contains(term.statePartition())) {
        term.assigned();
        // The callback runs inside a poll that would go on waiting up to its timeout: start the term now.
        wakeUp();
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.contains(term.statePartition())) {
        term.end();
      }
    }
  }
}
