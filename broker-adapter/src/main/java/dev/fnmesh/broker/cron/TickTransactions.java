package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.cron.TriggerTable.Tick;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.EventTraceContext;
import dev.fnmesh.broker.tracing.TickSpans;
import dev.fnmesh.broker.tracing.Tracing;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The leader's transactional producer. Creating it fences every earlier producer of the same
 * {@code transactional.id}, i.e. any previous leader, and completes or aborts that leader's open
 * transaction; each commit writes the tick events and the new state records atomically.
 */
final class TickTransactions implements AutoCloseable {

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Producer<byte[], byte[]> producer;
  private final String stateTopic;
  private final StateSignatures signatures;
  private final Tracing tracing;
  private final KafkaClientMeters.Binding producerMeters;

  /** @throws KafkaException when the transactions could not be initialised; nothing is left open then */
  TickTransactions(Map<String, Object> producerConfig, String stateTopic, StateSignatures signatures,
      Tracing tracing, KafkaClientMeters meters) {
    this.tracing = tracing;
    this.stateTopic = stateTopic;
    this.signatures = signatures;
    this.producer = new KafkaProducer<>(producerConfig);
    try {
      producer.initTransactions();
    } catch (KafkaException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    this.producerMeters = meters.bind(producer);
  }

  /**
   * Writes each tick's event and its trigger's state record in one transaction.
   *
   * @throws KafkaException when the transaction did not commit: fenced by a newer leader, a failed write,
   *     a timeout. Whether a timed-out commit took effect is only known from the state topic.
   */
  void commit(List<Tick> ticks) {
    List<Span> spans = tracing.on() ? new ArrayList<>(ticks.size()) : List.of();
    try {
      producer.beginTransaction();
      for (Tick tick : ticks) {
        CloudEvent event = CronTicks.event(tick.trigger(), tick.scheduledAt());
        if (tracing.on()) {
          Span span = TickSpans.start(tracing, tick.trigger().name(), tick.trigger().topic(), event);
          spans.add(span);
          event = EventTraceContext.withSpan(event, span);
        }
        producer.send(CronTicks.record(tick.trigger(), event));
        producer.send(signatures.sign(CronStateRecords.record(stateTopic, tick.trigger().name(), tick.scheduledAt())));
      }
      // Flushes the sends and fails if any of them failed, so no send result needs checking.
      producer.commitTransaction();
    } catch (RuntimeException e) {
      TickSpans.end(spans, e);
      throw e;
    }
    TickSpans.end(spans, null);
  }

  /**
   * Removes the state of triggers that no longer exist, in one transaction, so that a trigger added again
   * later under the same name starts afresh.
   *
   * @throws KafkaException when the transaction did not commit
   */
  void remove(Collection<String> triggers) {
    producer.beginTransaction();
    for (String trigger : triggers) {
      producer.send(signatures.sign(CronStateRecords.tombstone(stateTopic, trigger)));
    }
    producer.commitTransaction();
  }

  /** Closes the producer; an open transaction is aborted. */
  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
    producerMeters.close();
  }
}
