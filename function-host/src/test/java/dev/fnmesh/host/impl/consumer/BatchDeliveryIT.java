package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.HttpHostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.impl.http.HttpFunctionInstances;
import dev.fnmesh.host.impl.process.TestCommands;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.BatchSettings;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.HttpKind;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Triggers with {@code delivery.batch} against the real broker: batches bounded by maxEvents and closed by
 * maxWait, per-event results of Java and HTTP functions (replies, batchItemFailures, permanent failures) and a
 * failed batch split down to its poison event.
 */
class BatchDeliveryIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path EXAMPLES = Path.of("../examples").toAbsolutePath().normalize();
  private TriggerHarness harness;
  private String topic;
  private String deadLetters;
  private String replies;

  @BeforeEach
  void topics() {
    harness = new TriggerHarness();
    topic = KafkaFixture.uniqueTopic("batch");
    deadLetters = topic + ".dlq";
    replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(deadLetters, 1);
    KafkaFixture.createTopic(replies, 1);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void aJavaFunctionGetsBatchesOfAtMostMaxEventsInOffsetOrder() throws Exception {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    harness.write(topic, events(35));
    harness.deploy(settings(batch(10, Duration.ofSeconds(1), 0)), (BatchFunction) (events, ctx) -> {
      batches.add(events.stream().map(CloudEvent::getId).toList());
      return Future.succeededFuture(events.stream().map(event -> ItemResult.replied(event, event)).toList());
    });

    assertEquals(35, TriggerHarness.read(replies, 35, WAIT).size());
    await().atMost(WAIT).until(() -> TriggerHarness.committed(group(), topic) == 35);
    assertTrue(batches.stream().allMatch(batch -> batch.size() <= 10), "batches " + batches);
    assertTrue(batches.stream().anyMatch(batch -> batch.size() == 10), "no batch was full: " + batches);
    assertEquals(ids(35), batches.stream().flatMap(List::stream).toList());
  }

  @Test
  void maxWaitClosesABatchThatIsNotFull() throws Exception {
    List<List<String>> batches = new CopyOnWriteArrayList<>();
    harness.deploy(settings(batch(100, Duration.ofMillis(300), 0)), (BatchFunction) (events, ctx) -> {
      batches.add(events.stream().map(CloudEvent::getId).toList());
      return Future.succeededFuture(events.stream().map(ItemResult::noReply).toList());
    });
    harness.write(topic, events(3));

    await().atMost(WAIT).until(() -> TriggerHarness.committed(group(), topic) == 3);
    assertEquals(ids(3), batches.stream().flatMap(List::stream).toList());
    assertTrue(batches.stream().allMatch(batch -> batch.size() < 100), "batches " + batches);
  }

  @Test
  void anHttpFunctionsBatchItemFailuresAloneAreRetriedAndDeadLetteredTheRestCommittedOnce() throws Exception {
    Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    int port = serve((request, events) -> {
      contentTypes.add(request.getHeader("content-type"));
      events.forEach(event -> deliveries.merge(event.getId(), 1, Integer::sum));
      JsonArray failures = new JsonArray();
      events.stream().filter(event -> event.getId().equals("e3") || event.getId().equals("e7"))
          .forEach(event -> failures.add(new JsonObject().put("itemIdentifier", event.getId())));
      return new JsonObject().put("batchItemFailures", failures).encode();
    });
    harness.write(topic, events(10));
    harness.deploy(settings(batch(100, Duration.ofMillis(200), 2)), http(port));

    List<CloudEvent> letters = TriggerHarness.read(deadLetters, 2, WAIT);
    await().atMost(WAIT).until(() -> TriggerHarness.committed(group(), topic) == 10);
    assertEquals(List.of("e3", "e7"), letters.stream().map(CloudEvent::getId).sorted().toList());
    assertEquals("function-failed", letters.get(0).getExtension(DeadLetters.ERROR_CODE));
    assertEquals(3, deliveries.get("e3"));
    assertEquals(3, deliveries.get("e7"));
    ids(10).stream().filter(id -> !id.equals("e3") && !id.equals("e7"))
        .forEach(id -> assertEquals(1, deliveries.get(id), id + " delivered " + deliveries.get(id) + " times"));
    assertTrue(contentTypes.stream().allMatch("application/cloudevents-batch+json"::equals), contentTypes.toString());
    assertEquals(2, TriggerHarness.read(deadLetters, 3, Duration.ofSeconds(1)).size());
  }

  @Test
  void aBatchThatFailsAsAWholeIsSplitDownToItsPoisonEventWhichAloneIsDeadLettered() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    harness.write(topic, events(8));
    harness.deploy(settings(batch(8, Duration.ofSeconds(1), 1)), (BatchFunction) (events, ctx) -> {
      sizes.add(events.size());
      if (events.stream().anyMatch(event -> event.getId().equals("e5"))) {
        return Future.failedFuture(new IllegalStateException("cannot digest a batch with e5"));
      }
      return Future.succeededFuture(events.stream().map(event -> ItemResult.replied(event, event)).toList());
    });

    CloudEvent letter = TriggerHarness.read(deadLetters, 1, WAIT).get(0);
    List<CloudEvent> answered = TriggerHarness.read(replies, 7, WAIT);
    await().atMost(WAIT).until(() -> TriggerHarness.committed(group(), topic) == 8);
    assertEquals("e5", letter.getId());
    assertEquals("function-failed", letter.getExtension(DeadLetters.ERROR_CODE));
    assertEquals("cannot digest a batch with e5", letter.getExtension(DeadLetters.ERROR));
    assertEquals(ids(8).stream().filter(id -> !id.equals("e5")).toList(),
        answered.stream().map(CloudEvent::getId).toList());
    // e0-e7 fails; e0-e3 passes; e4-e7 fails; e4-e5 fails; e4 passes; e5 fails, and again on its retry; only then
    // e6-e7, since a half waits for the one before it to end.
    assertEquals(List.of(8, 4, 4, 2, 1, 1, 1, 2), sizes);
    assertEquals(1, TriggerHarness.read(deadLetters, 2, Duration.ofSeconds(1)).size());
  }

  @Test
  void anHttpFunctionAnswersEachEventWithItsRepliesNoneOrAPermanentFailure() throws Exception {
    JsonFormat format = new JsonFormat();
    int port = serve((request, events) -> {
      JsonArray results = new JsonArray();
      for (CloudEvent event : events) {
        JsonObject result = new JsonObject().put("id", event.getId());
        switch (event.getId()) {
          case "e0" -> result.put("status", "reply").put("replies", new JsonArray()
              .add(new JsonObject(Buffer.buffer(format.serialize(answer("answer-e0", "hello")))))
              .add(new JsonObject(Buffer.buffer(format.serialize(answer("answer-e0-again", "hello again"))))));
          case "e1" -> result.put("status", "none");
          case "e2" -> result.put("status", "permanent").put("error", "e2 can never be valid");
          default -> result.put("status", "reply").put("replies", new JsonArray().add(new JsonObject(
              Buffer.buffer(format.serialize(event)))));
        }
        results.add(result);
      }
      return results.encode();
    });
    harness.write(topic, events(4));
    harness.deploy(settings(batch(100, Duration.ofMillis(200), 3)), http(port));

    List<CloudEvent> answered = TriggerHarness.read(replies, 3, WAIT);
    CloudEvent letter = TriggerHarness.read(deadLetters, 1, WAIT).get(0);
    await().atMost(WAIT).until(() -> TriggerHarness.committed(group(), topic) == 4);
    assertEquals(List.of("answer-e0", "answer-e0-again", "e3"), answered.stream().map(CloudEvent::getId).toList());
    assertEquals("hello again", new String(answered.get(1).getData().toBytes(), StandardCharsets.UTF_8));
    assertEquals("e2", letter.getId());
    assertEquals("permanent-failure", letter.getExtension(DeadLetters.ERROR_CODE));
    assertEquals("e2 can never be valid", letter.getExtension(DeadLetters.ERROR));
  }

  @Test
  void aProcessFunctionGetsTheSameBatchFramingAndItsListedFailuresAloneAreRetried() throws Exception {
    CloudEvent unstorable = CloudEventBuilder.v1().withId("no").withSource(URI.create("/tests")).withType("t")
        .withData("application/json", "{\"store\": false}".getBytes(StandardCharsets.UTF_8)).build();
    harness.write(topic, events(3));
    harness.write(topic, unstorable);
    harness.write(topic, events(2));
    harness.deploy(settings(batch(100, Duration.ofMillis(200), 1)),
        TestCommands.python("bulk-python", EXAMPLES.resolve("bulk-python/main.py"), harness.vertx));

    CloudEvent letter = TriggerHarness.read(deadLetters, 1, WAIT).get(0);
    await().atMost(WAIT).until(() -> TriggerHarness.committed(group(), topic) == 6);
    assertEquals("no", letter.getId());
    assertEquals("function-failed", letter.getExtension(DeadLetters.ERROR_CODE));
    assertEquals("2", String.valueOf(letter.getExtension(DeadLetters.ATTEMPTS)));
  }

  private static CloudEvent answer(String id, String text) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/fn")).withType("answer")
        .withData("text/plain", text.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** A Java function that handles batches as a whole. */
  @FunctionalInterface
  private interface BatchFunction extends Function {

    Future<List<ItemResult>> batch(List<CloudEvent> events, FunctionContext context);

    @Override
    default Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext context) {
      return batch(events, context);
    }

    @Override
    default Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
      return Future.failedFuture(new IllegalStateException("a batch trigger called apply"));
    }
  }

  /** Starts a stub HTTP function that reads a JSON batch and answers 200 with what {@code answer} returns. */
  private int serve(BiFunction<HttpServerRequest, List<CloudEvent>, String> answer) throws Exception {
    JsonFormat format = new JsonFormat();
    return harness.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      List<CloudEvent> events = new ArrayList<>();
      new JsonArray(body).forEach(item -> events.add(format.deserialize(((JsonObject) item).toBuffer().getBytes())));
      request.response().putHeader("content-type", "application/json").end(answer.apply(request, events));
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  private HttpHostedFunction http(int port) {
    HttpKind kind = new HttpKind(URI.create("http://127.0.0.1:" + port + "/fn"), 4, FunctionKind.DEFAULT_MAX_WAITING,
        false);
    return new HttpHostedFunction(kind, new FunctionContext(harness.vertx, "fn", Map.of()),
        new HttpFunctionInstances("fn", kind, FunctionInstances.REQUEST_TIMEOUT, harness.vertx));
  }

  private TriggerSettings settings(DeliverySettings delivery) {
    return TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest").withDelivery(delivery);
  }

  private DeliverySettings batch(int maxEvents, Duration maxWait, int retry) {
    return new DeliverySettings(retry, BackoffPolicy.LINEAR, Duration.ofMillis(10), Optional.empty(),
        Duration.ofSeconds(5), deadLetters, Ordering.ORDERED, 1)
        .withBatch(new BatchSettings(maxEvents, maxWait, BatchSettings.DEFAULT_MAX_BYTES));
  }

  private String group() {
    return "fnmesh." + topic;
  }

  private static CloudEvent[] events(int count) {
    return ids(count).stream().map(id -> TriggerHarness.event(id, "t")).toArray(CloudEvent[]::new);
  }

  private static List<String> ids(int count) {
    return IntStream.range(0, count).mapToObj(i -> "e" + i).toList();
  }
}
