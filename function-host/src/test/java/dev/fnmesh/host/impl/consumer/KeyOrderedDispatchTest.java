package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The dispatcher under {@code ordering: key}, with real deliveries: keys side by side, each key in order. */
class KeyOrderedDispatchTest {

  private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final OffsetTracker tracker = new OffsetTracker();
  // Every attempt by event id, in the order started; the attempts not answered yet.
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final Map<String, Promise<CloudEvent>> open = new ConcurrentHashMap<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void eventsOfDifferentKeysRunTogetherUpToTheLimitAndEventsOfOneKeyOneAfterAnother() {
    RecordDispatcher dispatcher = dispatcher(0, 3);
    dispatch(dispatcher, record(0, "a"), record(1, "a"), record(2, "b"), record(3, "c"), record(4, "d"));

    await().atMost(WAIT).until(() -> started.size() == 3);
    assertEquals(List.of("e0", "e2", "e3"), started, "a, b and c at once; d waits for the limit of 3, e1 for e0");
    answer("e2");
    await().atMost(WAIT).until(() -> started.contains("e4"));
    assertFalse(started.contains("e1"), "e1 of key a waits while e0 of its key runs");
    answer("e0");
    await().atMost(WAIT).until(() -> started.contains("e1"));
    answer("e1");
    answer("e3");
    answer("e4");
    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
    assertEquals(5, tracker.committable().get(PARTITION).offset());
  }

  @Test
  void aRetryingEventHoldsBackLaterEventsOfItsKeyOnly() {
    RecordDispatcher dispatcher = dispatcher(1, 10);
    dispatch(dispatcher, record(0, "a"), record(1, "a"), record(2, "b"), record(3, "b"));

    await().atMost(WAIT).until(() -> started.size() == 2);
    fail("e0");
    answer("e2");
    await().atMost(WAIT).until(() -> started.contains("e3"));
    answer("e3");
    await().atMost(WAIT).until(() -> started.stream().filter("e0"::equals).count() == 2);
    assertFalse(started.contains("e1"), "e1 waits for e0's retry");
    answer("e0");
    await().atMost(WAIT).until(() -> started.contains("e1"));
    answer("e1");

    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
    assertEquals(List.of("e0", "e0", "e1"), started.stream().filter(id -> !id.equals("e2") && !id.equals("e3")).toList(),
        "key a in offset order, its retry included");
    assertEquals(4, tracker.committable().get(PARTITION).offset());
  }

  @Test
  void theCommittableOffsetStopsAtAnUnfinishedEventWhateverFinishedAfterIt() {
    RecordDispatcher dispatcher = dispatcher(0, 10);
    dispatch(dispatcher, record(0, "a"), record(1, "b"), record(2, "c"));
    await().atMost(WAIT).until(() -> started.size() == 3);

    answer("e1");
    answer("e2");
    await().atMost(WAIT).until(() -> tracker.inFlight() == 1);
    assertEquals(Map.of(), tracker.committable(), "offset 0 is unfinished: nothing may be committed");
    answer("e0");
    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
    assertEquals(3, tracker.committable().get(PARTITION).offset());
  }

  private RecordDispatcher dispatcher(int retry, int maxInFlight) {
    TriggerSettings settings = TriggerSettings.of("orders", "orders", "fn", Optional.empty(), "earliest")
        .withDelivery(new DeliverySettings(retry, BackoffPolicy.LINEAR, Duration.ofMillis(10), Optional.empty(),
            Duration.ofMinutes(1), "orders.dlq", Ordering.KEY, maxInFlight));
    PartitionStalls stalls = new PartitionStalls(new TriggerHealth(), "r1");
    TriggerStats stats = new TriggerStats();
    OutcomeWrites writes = new OutcomeWrites(settings.name(), tracker, stalls, stats, context);
    JavaHostedFunction function = new JavaHostedFunction((event, ctx) -> {
      Promise<CloudEvent> attempt = Promise.promise();
      open.put(event.getId(), attempt);
      started.add(event.getId());
      return attempt.future();
    }, new FunctionContext(vertx, "fn", Map.of()), false);
    EventDelivery delivery = new EventDelivery(settings, function, (EventPublisher) null, tracker, writes,
        stats, context);
    return new RecordDispatcher(delivery, stalls, settings.delivery(), context);
  }

  @SafeVarargs
  private void dispatch(RecordDispatcher dispatcher, ConsumerRecord<byte[], byte[]>... records) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(List.of(records));
    tracker.track(PARTITION, list);
    context.runOnContext(v -> dispatcher.dispatch(new ConsumerRecords<>(Map.of(PARTITION, list), Map.of())));
  }

  private void answer(String id) {
    await().atMost(WAIT).until(() -> open.containsKey(id));
    Promise<CloudEvent> attempt = open.remove(id);
    context.runOnContext(v -> attempt.complete(null));
  }

  private void fail(String id) {
    await().atMost(WAIT).until(() -> open.containsKey(id));
    Promise<CloudEvent> attempt = open.remove(id);
    context.runOnContext(v -> attempt.fail(new IllegalStateException("first attempt fails")));
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key) {
    ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord("orders", TriggerHarness.event("e" + offset, "t"),
        key.getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, offset, written.key(), written.value());
    written.headers().forEach(header -> record.headers().add(header));
    return record;
  }
}
