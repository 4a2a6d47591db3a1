package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.function.ItemResult;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.Replies;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.logs.LogFields;
import dev.fnmesh.host.tracing.AttemptSpan;
import dev.fnmesh.host.tracing.DeliveryTracing;
import dev.fnmesh.mesh.DeliverySettings;
import io.cloudevents.CloudEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes a batch of one partition's records to their ends: each record is admitted by {@link EventDelivery}
 * (no CloudEvent, filtered out, invalid data end there), the events left go to the function in one
 * invocation, and each event's result is settled by {@link EventDelivery} as an attempt of its own: its
 * replies written, a failure retried alone, a permanent failure dead-lettered at once. A batch that fails as
 * a whole (an exception, a 5xx, a timeout, an answer that is no batch answer) is split in halves, each
 * invoked again once the one before it ended (AWS Lambda's BisectBatchOnFunctionError), down to single events,
 * which then follow the trigger's retry and dead-letter policy. No two events of one invocation share an
 * {@code id}, which names an event in the function's answer: a repeated id starts the next invocation. Runs
 * on the trigger's context.
 */
final class BatchDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

  private final String trigger;
  private final EventDelivery events;
  private final HostedFunction function;
  private final DeliverySettings delivery;
  private final OffsetTracker tracker;
  private final TriggerStats stats;
  // Null when the trigger does not trace.
  private final DeliveryTracing tracing;

  /** One event of a batch and what ends its record. */
  private record Item(ConsumerRecord<byte[], byte[]> record, CloudEvent event, int attempt, Promise<Void> done) {}

  BatchDelivery(String trigger, EventDelivery events, HostedFunction function, DeliverySettings delivery,
      OffsetTracker tracker, TriggerStats stats, DeliveryTracing tracing) {
    this.trigger = trigger;
    this.events = events;
    this.function = function;
    this.delivery = delivery;
    this.tracker = tracker;
    this.stats = stats;
    this.tracing = tracing;
  }

  /**
   * Never throws, and no future fails.
   *
   * @param records records of one partition, in offset order
   * @return one future per record, in their order, each completed when the partition may move past the record
   */
  List<Future<Void>> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    TopicPartition partition = new TopicPartition(records.get(0).topic(), records.get(0).partition());
    List<Future<Void>> done = new ArrayList<>(records.size());
    List<List<Item>> runs = new ArrayList<>();
    List<Item> run = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      CloudEvent event = events.admit(record);
      if (event == null) {
        done.add(Future.succeededFuture());
        continue;
      }
      Item item = new Item(record, event, events.nextAttempt(partition, record), Promise.promise());
      done.add(item.done().future());
      if (!ids.add(event.getId())) {
        runs.add(run);
        run = new ArrayList<>();
        ids.clear();
        ids.add(event.getId());
      }
      run.add(item);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    Future<Void> previous = Future.succeededFuture();
    for (List<Item> next : runs) {
      previous = previous.compose(v -> invoke(partition, next));
    }
    return done;
  }

  /** @return a future completed once every item's record may be passed, never failed */
  private Future<Void> invoke(TopicPartition partition, List<Item> items) {
    stats.batched(items.size());
    List<CloudEvent> batch = items.stream().map(Item::event).toList();
    AttemptSpan span = tracing == null ? null : tracing.startedBatch(partition.topic(), partition.partition(), batch);
    List<AttemptSpan> spans = items.stream()
        .map(item -> tracing == null ? null : tracing.started(item.record(), item.event(), item.attempt())).toList();
    long started = System.nanoTime();
    Future<List<ItemResult>> invoked;
    try {
      invoked = function.invokeBatch(batch, delivery.timeout(), span == null ? null : span.traceparent(),
          span == null ? null : span.tracestate());
    } catch (RuntimeException e) {
      invoked = Future.failedFuture(e);
    }
    return invoked.transform(outcome -> {
      if (span != null) {
        span.end(outcome.succeeded() ? AttemptSpan.Outcome.SUCCEEDED : AttemptSpan.Outcome.RETRIED, outcome.cause());
      }
      if (outcome.failed() && items.size() > 1) {
        return bisect(partition, items, spans, outcome.cause());
      }
      Map<String, ItemResult> results = new HashMap<>();
      if (outcome.succeeded() && outcome.result() != null) {
        outcome.result().forEach(result -> results.putIfAbsent(result.id(), result));
      }
      List<Future<Void>> settled = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        AsyncResult<Replies> result = outcome.failed() ? Future.failedFuture(outcome.cause())
            : single(item.event(), results.get(item.event().getId()));
        Future<Void> ended = events.settle(item.record(), partition, item.event(), item.attempt(), result, started,
            spans.get(i));
        ended.onComplete(item.done());
        settled.add(ended);
      }
      return Future.join(settled).<Void>mapEmpty().otherwiseEmpty();
    });
  }

  private Future<Void> bisect(TopicPartition partition, List<Item> items, List<AttemptSpan> spans, Throwable cause) {
    for (AttemptSpan span : spans) {
      if (span != null) {
        span.end(AttemptSpan.Outcome.RETRIED, cause);
      }
    }
    if (!tracker.owns(partition)) {
      // Revoked meanwhile: the new owner reads the events again.
      items.forEach(item -> item.done().complete());
      return Future.succeededFuture();
    }
    List<CloudEvent> batch = items.stream().map(Item::event).toList();
    events.noteFailure(batch.get(0).getId(), "batch of " + items.size() + " events (ids " + batch.get(0).getId() + " to "
        + batch.get(batch.size() - 1).getId() + ") failed, split in halves: " + cause);
    int half = items.size() / 2;
    LogFields.trigger(trigger).on(LOG.atInfo()).log("batch failed, splitting it partition={} offsets={}..{} events={}"
            + " cause={}", partition, items.get(0).record().offset(), items.get(items.size() - 1).record().offset(),
        items.size(), cause.toString());
    List<Item> second = items.subList(half, items.size());
    return invoke(partition, items.subList(0, half)).compose(v -> invoke(partition, second));
  }

  /** What one event's result means for its attempt: a failed attempt for an event the function left out. */
  private AsyncResult<Replies> single(CloudEvent event, ItemResult result) {
    if (result == null) {
      return Future.failedFuture(new IllegalStateException("function '" + function.name()
          + "' answered the batch without a result for event id=" + event.getId()));
    }
    return outcome(event, List.of(result));
  }

  /**
   * The outcome of one event's attempt from the function's results: its replies (none for {@code none}), failed
   * with the error it gave (a {@link PermanentFailure} for a permanent one).
   */
  static Future<Replies> outcome(CloudEvent event, List<ItemResult> results) {
    ItemResult result = results.stream().filter(r -> r.id().equals(event.getId())).findFirst().orElse(null);
    if (result == null) {
      return Future.failedFuture(new IllegalStateException("the function answered no result for event id="
          + event.getId()));
    }
    return switch (result.status()) {
      case NONE -> Future.succeededFuture(Replies.NONE);
      case REPLY -> Future.succeededFuture(new Replies(result.replies()));
      case FAILED -> Future.failedFuture(new IllegalStateException(result.error()));
      case PERMANENT -> Future.failedFuture(new PermanentFailure(result.error()));
    };
  }
}
