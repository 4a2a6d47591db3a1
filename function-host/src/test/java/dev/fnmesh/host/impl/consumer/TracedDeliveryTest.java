package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.tracing.DeliveryTracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A traced trigger's delivery attempt is a span that continues the event's traceparent extension, is handed
 * to the function, and is carried on by the reply and the dead letter; an untraced one adds nothing.
 */
class TracedDeliveryTest {

  private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT + "-01";

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final Tracing tracing = Tracing.of(OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .build());
  private final List<ProducerRecord<byte[], byte[]>> written = new CopyOnWriteArrayList<>();
  private final OffsetTracker tracker = new OffsetTracker();
  private final TriggerSettings settings = TriggerSettings.of("orders", "orders", "fn", Optional.of("replies"),
      "earliest");

  @AfterEach
  void close() throws Exception {
    tracing.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAttemptContinuesTheEventsTraceparentAndHandsItsOwnToTheFunctionAndTheReply() throws Exception {
    AtomicReference<String> given = new AtomicReference<>();
    Function answer = (event, ctx) -> {
      given.set(ctx.traceparent());
      return Future.succeededFuture(CloudEventBuilder.from(event).withId("reply").build());
    };

    handle(traced(answer), record(event(TRACEPARENT)));

    SpanData attempt = spans.getFinishedSpanItems().get(0);
    assertEquals(SpanKind.CONSUMER, attempt.getKind());
    assertEquals("process orders", attempt.getName());
    assertEquals(TRACE_ID, attempt.getTraceId());
    assertEquals(PARENT, attempt.getParentSpanId(), "the event's traceparent is the attempt's parent");
    assertEquals("orders", attempt.getAttributes().get(AttributeKey.stringKey("fnmesh.trigger")));
    assertEquals("orders", attempt.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
    assertEquals("0", attempt.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")));
    assertEquals(7L, attempt.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
    assertEquals("e7", attempt.getAttributes().get(AttributeKey.stringKey("cloudevents.event_id")));
    assertEquals("succeeded", attempt.getAttributes().get(AttributeKey.stringKey("fnmesh.outcome")));
    String own = "00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01";
    assertEquals(own, given.get(), "the function is given the attempt's traceparent");
    assertEquals(own, header(written.get(0), "ce_traceparent"), "the reply carries the attempt's context");
  }

  @Test
  void theDeadLetterOfTheLastAttemptCarriesThatAttemptsContext() throws Exception {
    handle(traced((event, ctx) -> Future.failedFuture(new PermanentFailure("refused"))), record(event(TRACEPARENT)));

    SpanData attempt = spans.getFinishedSpanItems().get(0);
    assertEquals(StatusCode.ERROR, attempt.getStatus().getStatusCode());
    assertEquals("dead-lettered", attempt.getAttributes().get(AttributeKey.stringKey("fnmesh.outcome")));
    assertEquals("fnmesh.orders.dlq", written.get(0).topic());
    assertEquals("00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01", header(written.get(0), "ce_traceparent"));
  }

  @Test
  void anEventWithoutTraceparentStartsATraceAtItsAttempt() throws Exception {
    handle(traced((event, ctx) -> Future.succeededFuture(null)), record(event(null)));

    SpanData attempt = spans.getFinishedSpanItems().get(0);
    assertEquals("0000000000000000", attempt.getParentSpanId());
  }

  @Test
  void anUntracedTriggerGivesTheFunctionNoTraceparentAndPassesTheEventsOwnOnUnchanged() throws Exception {
    AtomicReference<String> given = new AtomicReference<>("not called");
    Function echo = (event, ctx) -> {
      given.set(ctx.traceparent());
      return Future.succeededFuture(event);
    };

    handle(delivery(echo, null), record(event(TRACEPARENT)));

    assertNull(given.get());
    assertEquals(TRACEPARENT, header(written.get(0), "ce_traceparent"));
    assertEquals(List.of(), spans.getFinishedSpanItems());
  }

  @Test
  void aBatchIsASpanLinkedToItsEventsContextsWhileEachEventKeepsItsOwnAttemptSpan() throws Exception {
    AtomicReference<String> given = new AtomicReference<>();
    Function echo = new Function() {
      @Override
      public Future<CloudEvent> apply(CloudEvent event, FunctionContext ctx) {
        return Future.failedFuture(new IllegalStateException("a batch trigger called apply"));
      }

      @Override
      public Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext ctx) {
        given.set(ctx.traceparent());
        return Future.succeededFuture(events.stream().map(event -> ItemResult.replied(event, event)).toList());
      }
    };
    JavaHostedFunction hosted = new JavaHostedFunction(echo, new FunctionContext(vertx, "fn", Map.of()), false);
    DeliveryTracing deliveryTracing = DeliveryTracing.of(tracing, settings, "fn");
    BatchDelivery batches = new BatchDelivery(settings.name(), delivery(hosted, deliveryTracing), hosted,
        settings.delivery(), tracker, new TriggerStats(), deliveryTracing);
    ConsumerRecord<byte[], byte[]> first = record(event(TRACEPARENT));
    ConsumerRecord<byte[], byte[]> second = record(8, CloudEventBuilder.v1(event(null)).withId("e8").build());

    onContext(() -> Future.all(batches.handle(List.of(first, second)))).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    SpanData batch = spans.getFinishedSpanItems().stream()
        .filter(span -> span.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count")) != null)
        .findFirst().orElseThrow();
    assertEquals("0000000000000000", batch.getParentSpanId(), "a batch is the root of a trace of its own");
    assertEquals(List.of(TRACE_ID + "/" + PARENT), batch.getLinks().stream()
        .map(link -> link.getSpanContext().getTraceId() + "/" + link.getSpanContext().getSpanId()).toList(),
        "linked to the context the first event carries; the second carries none");
    assertEquals(2L, batch.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count")));
    // A root span's trace flags may carry the random-trace-id flag beside sampled: only its ids are compared.
    assertEquals("00-" + batch.getTraceId() + "-" + batch.getSpanId(), given.get().substring(0, 52),
        "the function is given the batch's context");
    SpanData attempt = spans.getFinishedSpanItems().stream()
        .filter(span -> "e7".equals(span.getAttributes().get(AttributeKey.stringKey("cloudevents.event_id"))))
        .findFirst().orElseThrow();
    assertEquals(PARENT, attempt.getParentSpanId(), "each event's attempt continues its own trace");
    assertEquals("00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01", header(written.get(0), "ce_traceparent"));
  }

  private EventDelivery traced(Function function) {
    return delivery(function, DeliveryTracing.of(tracing, settings, "fn"));
  }

  private EventDelivery delivery(Function function, DeliveryTracing deliveryTracing) {
    return delivery(new JavaHostedFunction(function, new FunctionContext(vertx, "fn", Map.of()), false),
        deliveryTracing);
  }

  private EventDelivery delivery(JavaHostedFunction function, DeliveryTracing deliveryTracing) {
    PartitionStalls stalls = new PartitionStalls(new TriggerHealth(), "r1");
    TriggerStats stats = new TriggerStats();
    OutcomeWrites writes = new OutcomeWrites(settings.name(), tracker, stalls, stats, context);
    return new EventDelivery(settings, function, new Recording(), tracker, writes, stats, context, deliveryTracing);
  }

  private static CloudEvent event(String traceparent) {
    CloudEventBuilder event = CloudEventBuilder.v1().withId("e7").withSource(URI.create("urn:test")).withType("t");
    return traceparent == null ? event.build() : event.withExtension("traceparent", traceparent).build();
  }

  private ConsumerRecord<byte[], byte[]> record(CloudEvent event) {
    return record(7, event);
  }

  private ConsumerRecord<byte[], byte[]> record(long offset, CloudEvent event) {
    tracker.track(PARTITION, offset);
    ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord("orders", event, null);
    ConsumerRecord<byte[], byte[]> read = new ConsumerRecord<>("orders", 0, offset, null, record.value());
    record.headers().forEach(header -> read.headers().add(header));
    return read;
  }

  private void handle(EventDelivery delivery, ConsumerRecord<byte[], byte[]> record) throws Exception {
    onContext(() -> delivery.handle(record)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    var header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Takes every write at once. */
  private final class Recording implements EventPublisher {
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
      written.add(record);
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
