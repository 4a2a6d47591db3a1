package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What becomes of one record whatever goes wrong: it is finished, dead-lettered, or left to the new owner. */
class EventDeliveryTest {

  private static final TopicPartition PARTITION = new TopicPartition("orders", 0);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final RecordingPublisher publisher = new RecordingPublisher();
  private final OffsetTracker tracker = new OffsetTracker();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFilterThatThrowsSendsTheRecordAsItIsToTheDeadLetterTopicAndFinishesIt() throws Exception {
    TriggerSettings settings = settings().withFilter(event -> {
      throw new IllegalStateException("filter bug");
    });
    ConsumerRecord<byte[], byte[]> record = record(0);

    handle(delivery(settings, (event, ctx) -> Future.succeededFuture(event)), record);

    ProducerRecord<byte[], byte[]> letter = publisher.records.get(0);
    assertEquals("fnmesh.orders.dlq", letter.topic());
    assertEquals("internal-error", header(letter, DeadLetters.ERROR_CODE_HEADER));
    assertTrue(header(letter, "fnmesh_error").contains("filter bug"), header(letter, "fnmesh_error"));
    assertEquals(0, tracker.inFlight(), "the record is finished once its dead letter was written");
  }

  @Test
  void aFailedAttemptOnAPartitionAlreadyRevokedIsNeitherRetriedNorDeadLetteredButLeftToTheNewOwner() throws Exception {
    Promise<CloudEvent> attempt = Promise.promise();
    EventDelivery delivery = delivery(settings(), (event, ctx) -> attempt.future());
    ConsumerRecord<byte[], byte[]> record = record(0);
    Future<Void> handled = onContext(() -> delivery.handle(record));

    tracker.forget(List.of(PARTITION));
    context.runOnContext(v -> attempt.fail(new IllegalStateException("fails after the revocation")));
    handled.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of(), publisher.records, "the new owner reads the event again and dead-letters it if need be");
  }

  private TriggerSettings settings() {
    return TriggerSettings.of("orders", "orders", "fn", Optional.empty(), "earliest");
  }

  private EventDelivery delivery(TriggerSettings settings, Function function) {
    PartitionStalls stalls = new PartitionStalls(new TriggerHealth(), "r1");
    TriggerStats stats = new TriggerStats();
    OutcomeWrites writes = new OutcomeWrites(settings.name(), tracker, stalls, stats, context);
    return new EventDelivery(settings, new JavaHostedFunction(function, new FunctionContext(vertx, "fn", Map.of()), false),
        publisher, tracker, writes, stats, context);
  }

  private ConsumerRecord<byte[], byte[]> record(long offset) {
    tracker.track(PARTITION, offset);
    ProducerRecord<byte[], byte[]> written = CloudEventRecords.toRecord("orders", TriggerHarness.event("e" + offset, "t"), null);
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, offset, null, written.value());
    written.headers().forEach(header -> record.headers().add(header));
    return record;
  }

  private void handle(EventDelivery delivery, ConsumerRecord<byte[], byte[]> record) throws Exception {
    onContext(() -> delivery.handle(record)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    publisher.written.get(10, TimeUnit.SECONDS);
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  /** Takes every write at once, keeping what it was given. */
  private static final class RecordingPublisher implements EventPublisher {
    final List<ProducerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> written = new CompletableFuture<>();

    @Override
    public Future<Void> publish(String topic, List<CloudEvent> events) {
      throw new UnsupportedOperationException("not used by a trigger");
    }

    @Override
    public CompletionStage<Void> send(String topic, CloudEvent event, byte[] fallbackKey) {
      return sendRecord(CloudEventRecords.toRecord(topic, event, fallbackKey));
    }

    @Override
    public CompletionStage<Void> sendRecord(ProducerRecord<byte[], byte[]> record) {
      records.add(record);
      written.complete(null);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Future<Void> prepare(String topic) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
