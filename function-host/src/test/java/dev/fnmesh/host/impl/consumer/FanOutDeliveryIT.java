package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.HttpHostedFunction;
import dev.fnmesh.host.ReplyRoutes;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.FilterSpec;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ReplyRoute;
import dev.fnmesh.mesh.DeliverySettings.BackoffPolicy;
import dev.fnmesh.mesh.DeliverySettings.Ordering;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A function answering several events against the real broker: each is a reply, written before the event ends. */
class FanOutDeliveryIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private TriggerHarness harness;
  private String topic;
  private String replies;

  @BeforeEach
  void topics() {
    harness = new TriggerHarness();
    topic = KafkaFixture.uniqueTopic("fanout");
    replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 1);
    KafkaFixture.createTopic(topic + ".dlq", 1);
    KafkaFixture.createTopic(replies, 1);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  /** Answers each event with {@code count} events, ids {@code <event>-0} on. */
  static Function splitting(int count) {
    return Function.fanOut("split", (event, ctx) -> Future.succeededFuture(IntStream.range(0, count)
        .mapToObj(i -> CloudEventBuilder.v1(event).withId(event.getId() + "-" + i).build()).toList()));
  }

  @Test
  void aJavaFunctionAnsweringThreeEventsWritesThreeRepliesInItsOrderBeforeTheEventIsCommitted() throws Exception {
    TriggerSettings settings = settings();
    harness.deploy(settings, splitting(3));
    harness.write(topic, TriggerHarness.event("a", "t"), TriggerHarness.event("b", "t"));

    List<CloudEvent> written = TriggerHarness.read(replies, 6, WAIT);

    assertEquals(List.of("a-0", "a-1", "a-2", "b-0", "b-1", "b-2"), written.stream().map(CloudEvent::getId).toList());
    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 2);
  }

  @Test
  void aFunctionAnsweringNoEventWritesNoReplyAndTheEventIsCommitted() throws Exception {
    TriggerSettings settings = settings();
    harness.deploy(settings, (event, ctx) -> event.getType().equals("quiet")
        ? Future.succeededFuture() : Future.succeededFuture(event));
    harness.write(topic, TriggerHarness.event("q", "quiet"), TriggerHarness.event("loud", "t"));

    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 2);
    assertEquals(List.of("loud"), TriggerHarness.read(replies, 2, Duration.ofSeconds(2)).stream()
        .map(CloudEvent::getId).toList());
  }

  @Test
  void repliesGoToEveryRouteWhoseFilterTheyPassAndOneNoRouteTakesIsCountedNotWritten() throws Exception {
    String lines = topic + ".lines";
    String big = topic + ".big";
    KafkaFixture.createTopic(lines, 1);
    KafkaFixture.createTopic(big, 1);
    TriggerSettings settings = settings().withReplies(ReplyRoutes.compile(List.of(
        new ReplyRoute(Optional.of(new FilterSpec.Exact(Map.of("type", "line"))), lines),
        new ReplyRoute(Optional.of(new FilterSpec.Sql("subject = 'big'")), big))));
    harness.deploy(settings, Function.fanOut("split", (event, ctx) -> Future.succeededFuture(List.of(
        reply(event, "l1", "line", "small"), reply(event, "l2", "line", "big"), reply(event, "t1", "total", "big"),
        reply(event, "n1", "note", "small")))));
    harness.write(topic, TriggerHarness.event("a", "t"));

    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 1);
    assertEquals(List.of("a-l1", "a-l2"), TriggerHarness.read(lines, 3, Duration.ofSeconds(2)).stream()
        .map(CloudEvent::getId).toList());
    assertEquals(List.of("a-l2", "a-t1"), TriggerHarness.read(big, 3, Duration.ofSeconds(2)).stream()
        .map(CloudEvent::getId).toList());
    assertEquals(1, harness.stats.unroutedReplies());
  }

  @Test
  void anHttpFunctionAnsweringACloudEventsBatchWritesEachEventOfItAsAReply() throws Exception {
    int port = harness.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      String id = request.getHeader("ce-id");
      JsonArray batch = new JsonArray();
      for (int i = 0; i < 3; i++) {
        batch.add(new JsonObject().put("specversion", "1.0").put("id", id + "-" + i).put("source", "/split")
            .put("type", "com.example.part").put("datacontenttype", "application/json")
            .put("data", new JsonObject().put("part", i)));
      }
      request.response().putHeader("content-type", "application/cloudevents-batch+json").end(batch.encode());
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    HttpKind kind = new HttpKind(URI.create("http://127.0.0.1:" + port + "/"), 4, FunctionKind.DEFAULT_MAX_WAITING,
        false);
    TriggerSettings settings = settings();
    harness.deploy(settings, new HttpHostedFunction(kind, new FunctionContext(harness.vertx, "split", Map.of()),
        FunctionInstances.http("split", kind, harness.vertx)).startInstance().toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS));
    harness.write(topic, TriggerHarness.event("h", "t"));

    List<CloudEvent> written = TriggerHarness.read(replies, 3, WAIT);

    assertEquals(List.of("h-0", "h-1", "h-2"), written.stream().map(CloudEvent::getId).toList());
    assertEquals(new JsonObject().put("part", 2), new JsonObject(new String(written.get(2).getData().toBytes(),
        StandardCharsets.UTF_8)));
    await().atMost(WAIT).until(() -> TriggerHarness.committed(settings.groupId(), topic) == 1);
  }

  private static CloudEvent reply(CloudEvent event, String id, String type, String subject) {
    return CloudEventBuilder.v1(event).withId(event.getId() + "-" + id).withType(type).withSubject(subject).build();
  }

  private TriggerSettings settings() {
    return TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest")
        .withDelivery(new DeliverySettings(0, BackoffPolicy.LINEAR, Duration.ofMillis(10), Optional.empty(),
            Duration.ofSeconds(5), topic + ".dlq", Ordering.ORDERED, 1));
  }
}
