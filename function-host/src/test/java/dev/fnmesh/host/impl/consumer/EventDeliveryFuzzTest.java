package dev.fnmesh.host.impl.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.host.EventFilter;
import dev.fnmesh.host.JavaHostedFunction;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.impl.filter.FuzzFilters;
import dev.fnmesh.mesh.FilterSpec;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whatever record a trigger's consumer fetches and whatever its filter and function do, delivering it ends
 * with its offset finished (passed on, filtered out or dead-lettered) and no exception on the event loop,
 * which would leave the offset unfinished and stall the partition. Kafka is a stand-in that writes records
 * as the real publisher encodes them and acknowledges at once.
 */
class EventDeliveryFuzzTest {

  private static final TopicPartition PARTITION = new TopicPartition("orders", 3);
  private static final List<String> HEADERS = List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
      "ce_subject", "ce_dataschema", "ce_schemaurl", "ce_datacontenttype", "ce_amount", "ce_flag", "content-type",
      "ce_", "ce_Bad-Name");
  private static final List<String> VALUES = List.of("1.0", "0.3", "2.0", "", "1", "/s", "http://[::1", "t",
      "2026-11-29T15:04:05Z", "2026-11-29T25:00:00Z", "https://x/y", "application/json", "application/cloudevents+json",
      "120", "true", "\u0000", "é");
  private static final List<String> VALUES_AS_JSON = List.of("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\","
      + "\"type\":\"t\",\"amount\":5}", "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}",
      "{\"specversion\":\"1.0\",", "null", "[]", "\u0001");

  private static Vertx vertx;
  private static Context context;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterContainer
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Property(seed = "6101", tries = 700)
  void everyRecordIsFinishedWhateverItHoldsAndWhateverTheFunctionDoes(
      @ForAll("records") ConsumerRecord<byte[], byte[]> record, @ForAll("filters") FilterSpec filter,
      @ForAll("functions") Function function) throws Exception {
    EventFilter compiled;
    try {
      compiled = EventFilter.compile(filter);
    } catch (IllegalArgumentException refusedByTheLoader) {
      compiled = EventFilter.ACCEPT_ALL;
    }
    TriggerSettings settings = TriggerSettings.of("orders", "orders", "f", Optional.of("replies"), "earliest")
        .withFilter(compiled);
    OffsetTracker tracker = new OffsetTracker();
    tracker.track(PARTITION, record.offset());
    TriggerStats stats = new TriggerStats();
    OutcomeWrites writes = new OutcomeWrites(settings.name(), tracker,
        new PartitionStalls(new TriggerHealth(), "r1"), stats, context);
    EventDelivery delivery = new EventDelivery(settings,
        new JavaHostedFunction(function, new FunctionContext(vertx, "f", Map.of()), false), encodingPublisher(),
        tracker, writes, stats, context);

    CompletableFuture<Void> handled = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        delivery.handle(record).onComplete(done -> handled.complete(null));
      } catch (RuntimeException escaped) {
        handled.completeExceptionally(escaped);
      }
    });
    handled.get(10, TimeUnit.SECONDS);

    assertEquals(Map.of(PARTITION, new OffsetAndMetadata(record.offset() + 1)), tracker.committable());
  }

  /** Writes as the Kafka publisher does: a record that cannot be encoded fails the write, it does not throw. */
  private static EventPublisher encodingPublisher() {
    return (EventPublisher) Proxy.newProxyInstance(EventPublisher.class.getClassLoader(),
        new Class<?>[] {EventPublisher.class}, (self, method, args) -> switch (method.getName()) {
          case "send" -> {
            try {
              CloudEventRecords.toRecord((String) args[0], (CloudEvent) args[1], (byte[]) args[2]);
              yield CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
              yield CompletableFuture.failedFuture(e);
            }
          }
          case "sendRecord" -> CompletableFuture.completedFuture(null);
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Provide
  Arbitrary<ConsumerRecord<byte[], byte[]>> records() {
    Arbitrary<Map.Entry<String, byte[]>> headers = Arbitraries.entries(Arbitraries.of(HEADERS),
        Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(VALUES).map(EventDeliveryFuzzTest::bytes)),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(8)), Tuple.of(1, Arbitraries.just(null))));
    Arbitrary<byte[]> values = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(VALUES_AS_JSON).map(EventDeliveryFuzzTest::bytes)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)), Tuple.of(1, Arbitraries.just(null)));
    return Combinators.combine(Arbitraries.of(true, false), headers.list().ofMaxSize(5), values,
        Arbitraries.longs().between(0, 1L << 40)).as((complete, extra, value, offset) -> {
          ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 3, offset, bytes("key"), value);
          if (complete) {
            record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes("1")).add("ce_source", bytes("/s"))
                .add("ce_type", bytes("t"));
          }
          extra.forEach(header -> record.headers().remove(header.getKey()).add(header.getKey(), header.getValue()));
          return record;
        });
  }

  @Provide
  Arbitrary<FilterSpec> filters() {
    return FuzzFilters.specs(2);
  }

  /** Functions that answer with the event, with another, with nothing, fail, fail for good or throw. */
  @Provide
  Arbitrary<Function> functions() {
    return Arbitraries.of(
        (event, ctx) -> Future.succeededFuture(event),
        (event, ctx) -> Future.succeededFuture(CloudEventBuilder.from(event).withId("reply").build()),
        (event, ctx) -> Future.succeededFuture(CloudEventBuilder.v1().withId("r").withSource(URI.create("/r"))
            .withType("r").withExtension("partitionkey", event.getId()).build()),
        (event, ctx) -> Future.succeededFuture(),
        (event, ctx) -> Future.failedFuture(new IllegalStateException("failed: " + event.getType())),
        (event, ctx) -> Future.failedFuture(new PermanentFailure("refused: " + event.getId())),
        (event, ctx) -> {
          throw new IllegalStateException("thrown");
        });
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
