package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.broker.ConsumerThread;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.Tracing;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cron thread's work. It owns every Kafka client of the scheduler: a member of the cron group on the
 * state topic, whose ownership of the topic's partition is a {@link LeaderTerm}. It waits in {@code poll},
 * bounded by the time to the next tick; {@link #replace} and {@link #close} wake it.
 */
final class CronLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CronLoop.class);
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  // The consumer's close, an open transaction's abort and the admin client's close, with room to spare.
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

  private final KafkaSettings kafka;
  private final CronSchedulerSettings settings;
  private final String instance;
  private final Clock clock;
  private final StateSignatures signatures;
  private final Tracing tracing;
  private final KafkaClientMeters meters;
  private final TriggerTable table;
  private final AtomicReference<List<TriggerSpec>> pending = new AtomicReference<>();
  private final ConsumerThread thread;
  private volatile LeaderTerm term;
  private Consumer<byte[], byte[]> consumer;
  private KafkaClientMeters.Binding consumerMeters;
  private CronTopics topics;

  CronLoop(KafkaSettings kafka, CronSchedulerSettings settings, String instance, Clock clock,
      StateSignatures signatures, Tracing tracing, KafkaClientMeters meters) {
    this.tracing = tracing;
    this.meters = meters;
    this.kafka = kafka;
    this.settings = settings;
    this.instance = instance;
    this.clock = clock;
    this.signatures = signatures;
    this.table = new TriggerTable(settings.lateTolerance());
    this.thread = new ConsumerThread(instance, LeaderTerm.RETRY, CLOSE_WAIT, new Steps());
  }

  /** @throws IllegalStateException when started or closed before */
  void start() {
    thread.start();
  }

  void replace(List<TriggerSpec> triggers) {
    // Set before the wake-up: a step that starts after it reads the triggers first.
    pending.set(triggers);
    thread.wakeUp();
  }

  /** Stops the thread without waiting; the future completes once it released every client. */
  Future<Void> stop() {
    return thread.stop();
  }

  /** Stops the thread and waits until it released every client, at most {@link #CLOSE_WAIT}. */
  @Override
  public void close() {
    thread.close();
  }

  boolean isLeader() {
    LeaderTerm current = term;
    return current != null && current.isLeading();
  }

  private Duration pollTimeout() {
    Instant now = clock.instant();
    Instant wake = term.wakeAt(now, IDLE_POLL);
    Instant retry = topics.nextRetry().orElse(wake);
    Duration timeout = Duration.between(now, retry.isBefore(wake) ? retry : wake);
    return timeout.isNegative() ? Duration.ZERO : timeout.compareTo(IDLE_POLL) > 0 ? IDLE_POLL : timeout;
  }

  private void applyReplaced() {
    List<TriggerSpec> replaced = pending.getAndSet(null);
    if (replaced == null) {
      return;
    }
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

  /** Runs on the cron thread: joins the group once the state topic exists, then steps the term. */
  private final class Steps implements ConsumerThread.Work {

    @Override
    public Consumer<byte[], byte[]> open() {
      if (consumer != null) {
        // After a failed step: the term starts again if this process still owns the partition.
        if (consumer.assignment().contains(term.statePartition())) {
          term.assigned();
        }
        return consumer;
      }
      if (topics == null) {
        topics = new CronTopics(CronClientConfigs.admin(kafka, instance), kafka.topics(), meters);
        term = new LeaderTerm(CronClientConfigs.producer(kafka, settings, instance), settings.stateTopic(), table,
            topics, clock, instance, signatures, tracing, meters);
      }
      topics.ensureStateTopic(settings.stateTopic());
      KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(CronClientConfigs.consumer(kafka, settings, instance));
      try {
        member.subscribe(List.of(settings.stateTopic()), new Leadership());
      } catch (RuntimeException e) {
        member.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        throw e;
      }
      consumer = member;
      consumerMeters = meters.bind(member);
      LOG.info("cron scheduler started instance={} stateTopic={} group={}", instance, settings.stateTopic(),
          settings.groupId());
      return consumer;
    }

    @Override
    public void step() {
      applyReplaced();
      term.beforePoll(consumer);
      term.afterPoll(consumer.poll(pollTimeout()), consumer);
    }

    @Override
    public boolean failed(RuntimeException e) {
      if (consumer != null) {
        // An unexpected failure ends the term; the loop goes on, leading again if it still owns the partition.
        LOG.error("cron scheduler step failed instance={} retryIn={}ms error={}", instance,
            LeaderTerm.RETRY.toMillis(), e.toString(), e);
        term.end();
        return true;
      }
      if (topics != null && e instanceof IllegalStateException) {
        // Kafka unreachable or slow: ensureStateTopic is tried again.
        LOG.warn("cron state topic not ready instance={} topic={} retryIn={}ms error={}", instance,
            settings.stateTopic(), LeaderTerm.RETRY.toMillis(), e.getMessage());
        return true;
      }
      LOG.error("cron scheduler stopped on error instance={} error={}", instance, e.toString(), e);
      return false;
    }

    @Override
    public void close() {
      if (term != null) {
        term.end();
      }
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        consumerMeters.close();
      }
      if (topics != null) {
        topics.close();
      }
      LOG.info("cron scheduler stopped instance={}", instance);
    }
  }

  /** Leadership is ownership of the state topic's partition; the callbacks run inside poll, on this thread. */
  private final class Leadership implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.contains(term.statePartition())) {
        term.assigned();
        // The callback runs inside a poll that would go on waiting up to its timeout: start the term now.
        thread.wakeUp();
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
