package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dispatcher with {@code delivery.batch}, with real deliveries: when a batch closes, and how many are in flight. */
class BatchDispatchTest {

  private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration NEVER = Duration.ofHours(1);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final OffsetTracker tracker = new OffsetTracker();
  // The event ids of every invocation, in the order started; the invocations not answered yet, by the same index.
  private final List<List<String>> batches = new CopyOnWriteArrayList<>();
  private final List<Promise<List<ItemResult>>> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anOrderedPartitionStartsItsNextBatchOnlyOnceEveryEventOfTheLastEnded() {
    RecordDispatcher dispatcher = dispatcher(Ordering.ORDERED, 100, new BatchSettings(3, NEVER, 1_000_000));
    dispatch(dispatcher, record(0, "a"), record(1, "a"), record(2, "b"), record(3, "c"), record(4, "d"),
        record(5, "e"), record(6, "f"));

    await().atMost(WAIT).until(() -> batches.size() == 1);
    assertEquals(List.of("e0", "e1", "e2"), batches.get(0));
    answer(0);
    await().atMost(WAIT).until(() -> batches.size() == 2);
    assertEquals(List.of("e3", "e4", "e5"), batches.get(1));
    answer(1);
    await().atMost(WAIT).until(() -> tracker.inFlight() == 1);
    assertEquals(2, batches.size(), "e6 waits for two more events or its maxWait, an hour");
    assertEquals(6, tracker.committable().get(PARTITION).offset());
  }

  @Test
  void maxWaitClosesABatchFromItsFirstEvent() {
    RecordDispatcher dispatcher = dispatcher(Ordering.ORDERED, 100, new BatchSettings(100, Duration.ofMillis(50),
        1_000_000));
    dispatch(dispatcher, record(0, "a"), record(1, "b"));

    await().atMost(WAIT).until(() -> batches.size() == 1);
    assertEquals(List.of("e0", "e1"), batches.get(0));
    answer(0);
    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
  }

  @Test
  void maxBytesClosesABatchBeforeTheEventThatWouldPassIt() {
    long size = bytes(record(0, "a"));
    RecordDispatcher dispatcher = dispatcher(Ordering.UNORDERED, 100, new BatchSettings(100, NEVER, 2 * size + 1));
    dispatch(dispatcher, record(0, "a"), record(1, "b"), record(2, "c"), record(3, "d"), record(4, "e"));

    await().atMost(WAIT).until(() -> batches.size() == 2);
    assertEquals(List.of(List.of("e0", "e1"), List.of("e2", "e3")), batches);
  }

  @Test
  void aBatchOrderedByKeyHoldsOneEventPerKeyAndAKeysNextEventWaitsForIt() {
    RecordDispatcher dispatcher = dispatcher(Ordering.KEY, 100, new BatchSettings(10, Duration.ofMillis(50),
        1_000_000));
    dispatch(dispatcher, record(0, "a"), record(1, "a"), record(2, "b"), record(3, "c"), record(4, "b"));

    await().atMost(WAIT).until(() -> batches.size() == 1);
    assertEquals(List.of("e0", "e2", "e3"), batches.get(0));
    answer(0);
    await().atMost(WAIT).until(() -> batches.size() == 2);
    assertEquals(List.of("e1", "e4"), batches.get(1));
    answer(1);
    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
    assertEquals(5, tracker.committable().get(PARTITION).offset());
  }

  @Test
  void unorderedBatchesOverlapWhileFewerThanMaxInFlightEventsAreOut() {
    RecordDispatcher dispatcher = dispatcher(Ordering.UNORDERED, 4, new BatchSettings(2, NEVER, 1_000_000));
    dispatch(dispatcher, record(0, "a"), record(1, "b"), record(2, "c"), record(3, "d"), record(4, "e"),
        record(5, "f"));

    await().atMost(WAIT).until(() -> batches.size() == 2);
    assertEquals(List.of(List.of("e0", "e1"), List.of("e2", "e3")), batches, "4 in flight: the third waits");
    answer(1);
    await().atMost(WAIT).until(() -> batches.size() == 3);
    assertEquals(List.of("e4", "e5"), batches.get(2));
    await().atMost(WAIT).until(() -> tracker.inFlight() == 4);
    assertEquals(Map.of(), tracker.committable(), "offset 0 is unfinished: nothing may be committed");
  }

  @Test
  void anEventWhoseIdRepeatsInABatchGoesInTheNextInvocation() {
    RecordDispatcher dispatcher = dispatcher(Ordering.ORDERED, 100, new BatchSettings(3, NEVER, 1_000_000));
    dispatch(dispatcher, record(0, "a", "x"), record(1, "b", "y"), record(2, "c", "x"));

    await().atMost(WAIT).until(() -> batches.size() == 1);
    assertEquals(List.of("x", "y"), batches.get(0));
    answer(0);
    await().atMost(WAIT).until(() -> batches.size() == 2);
    assertEquals(List.of("x"), batches.get(1));
    answer(1);
    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
  }

  private RecordDispatcher dispatcher(Ordering ordering, int maxInFlight, BatchSettings batch) {
    TriggerSettings settings = TriggerSettings.of("orders", "orders", "fn", Optional.empty(), "earliest")
        .withDelivery(new DeliverySettings(0, BackoffPolicy.LINEAR, Duration.ofMillis(10), Optional.empty(),
            Duration.ofMinutes(1), "orders.dlq", ordering, maxInFlight).withBatch(batch));
    PartitionStalls stalls = new PartitionStalls(new TriggerHealth(), "r1");
    TriggerStats stats = new TriggerStats();
    OutcomeWrites writes = new OutcomeWrites(settings.name(), tracker, stalls, stats, context);
    JavaHostedFunction function = new JavaHostedFunction(new Function() {
      @Override
      public Future<CloudEvent> apply(CloudEvent event, FunctionContext ctx) {
        return Future.failedFuture(new IllegalStateException("a batch trigger called apply"));
      }

      @Override
      public Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext ctx) {
        Promise<List<ItemResult>> invocation = Promise.promise();
        open.add(invocation);
        batches.add(events.stream().map(CloudEvent::getId).toList());
        return invocation.future().map(v -> events.stream().map(ItemResult::noReply).toList());
      }
    }, new FunctionContext(vertx, "fn", Map.of()), false);
    EventDelivery delivery = new EventDelivery(settings, function, (EventPublisher) null, tracker, writes, stats,
        context);
    BatchDelivery batches = new BatchDelivery(settings.name(), delivery, function, settings.delivery(), tracker, stats,
        null);
    return new RecordDispatcher(delivery, batches, stalls, settings.delivery(), context);
  }

  @SafeVarargs
  private void dispatch(RecordDispatcher dispatcher, ConsumerRecord<byte[], byte[]>... records) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(List.of(records));
    tracker.track(PARTITION, list);
    context.runOnContext(v -> dispatcher.dispatch(new ConsumerRecords<>(Map.of(PARTITION, list), Map.of())));
  }

  private void answer(int invocation) {
    await().atMost(WAIT).until(() -> open.size() > invocation);
    context.runOnContext(v -> open.get(invocation).complete(List.of()));
  }

  private static long bytes(ConsumerRecord<byte[], byte[]> record) {
    return record.serializedKeySize() + record.serializedValueSize();
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key) {
    return record(offset, key, "e" + offset);
  }

  // With its sizes as a fetched record has them, which maxBytes counts.
  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String id) {
    CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType("t")
        .withData("text/plain", "0123456789".getBytes(StandardCharsets.UTF_8)).build();
    ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord("orders", event,
        key.getBytes(StandardCharsets.UTF_8));
    RecordHeaders headers = new RecordHeaders();
    written.headers().forEach(headers::add);
    return new ConsumerRecord<>("orders", 0, offset, -1L, TimestampType.NO_TIMESTAMP_TYPE, written.key().length,
        written.value().length, written.key(), written.value(), headers, Optional.empty());
  }
}
