package dev.fnmesh.broker;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.DedupSettings;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.broker.CommittedReads.idCountsSeenBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code dedup:} on a topic, over HTTP against the real broker: a second event with the source and id of one
 * accepted within the window is answered 202 with {@code "duplicate": true} and not written, in every mode; a
 * batch writes the events it does not repeat; a topic without dedup writes every copy.
 */
@ExtendWith(KafkaFixture.class)
class DedupIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private EventPublisher publisher;
  private TopicAdmin topics;
  private String deduped;
  private String plain;
  private int port;

  @BeforeEach
  void ingressWithOneDedupedTopic() throws Exception {
    deduped = KafkaFixture.uniqueTopic("deduped");
    plain = KafkaFixture.uniqueTopic("plain");
    vertx = Vertx.vertx();
    KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
    publisher = EventPublisher.create(vertx, kafka);
    topics = TopicAdmin.create(vertx, kafka);
    DeclaredTopics declared = new DeclaredTopics();
    declared.replace(Map.of(
        deduped, new TopicSettings(2, OptionalInt.empty(), Optional.empty(), Map.of(),
            Optional.of(new DedupSettings(Duration.ofMinutes(10)))),
        plain, TopicSettings.of(2)));
    Router router = Router.router(vertx);
    new TopicIngress(HttpEventDecoder.create(), publisher, topics, declared, IngressSettings.defaults(),
        (eventTopic, event) -> Optional.empty()).mount(router);
    port = vertx.createHttpServer().requestHandler(router).listen(0)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    publisher.close().eventually(() -> topics.close())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aBinaryEventSentTwiceIsWrittenOnceAndTheSecondAnsweredAsADuplicate() throws Exception {
    JsonObject first = accepted(post(deduped, binary("order-1", "/shop", "{\"n\":1}")));
    JsonObject second = accepted(post(deduped, binary("order-1", "/shop", "{\"n\":1}")));

    assertEquals(false, first.getBoolean("duplicate"));
    assertEquals(true, second.getBoolean("duplicate"));
    assertEquals(1, second.getInteger("duplicates"));
    assertEquals(Map.of("order-1", 1), written(deduped));
  }

  @Test
  void theSameIdFromAnotherSourceIsAnotherEvent() throws Exception {
    accepted(post(deduped, binary("order-2", "/shop", "{}")));
    JsonObject other = accepted(post(deduped, binary("order-2", "/warehouse", "{}")));

    assertEquals(false, other.getBoolean("duplicate"));
    assertEquals(Map.of("order-2", 2), written(deduped));
  }

  @Test
  void aStructuredEventRepeatingABinaryOneIsADuplicate() throws Exception {
    accepted(post(deduped, binary("order-3", "/shop", "{}")));
    JsonObject again = accepted(post(deduped, HttpRequest.BodyPublishers.ofString(structured("order-3", "/shop").encode()),
        "application/cloudevents+json"));

    assertEquals(true, again.getBoolean("duplicate"));
    assertEquals(Map.of("order-3", 1), written(deduped));
  }

  @Test
  void aBatchWritesTheEventsItDoesNotRepeatIncludingARepeatWithinItself() throws Exception {
    accepted(post(deduped, batch(structured("a", "/shop"), structured("b", "/shop"))));

    JsonObject mixed = accepted(post(deduped, batch(structured("b", "/shop"), structured("c", "/shop"),
        structured("c", "/shop"), structured("d", "/shop"))));

    assertEquals(4, mixed.getInteger("accepted"));
    assertEquals(2, mixed.getInteger("duplicates"));
    assertEquals(false, mixed.getBoolean("duplicate"));
    assertEquals(Map.of("a", 1, "b", 1, "c", 1, "d", 1), written(deduped));
  }

  @Test
  void aBatchOfDuplicatesOnlyWritesNothing() throws Exception {
    accepted(post(deduped, batch(structured("e", "/shop"), structured("f", "/shop"))));

    JsonObject again = accepted(post(deduped, batch(structured("f", "/shop"), structured("e", "/shop"))));

    assertEquals(true, again.getBoolean("duplicate"));
    assertEquals(Map.of("e", 1, "f", 1), written(deduped));
  }

  @Test
  void aTopicWithoutDedupWritesEveryCopy() throws Exception {
    JsonObject first = accepted(post(plain, binary("order-4", "/shop", "{}")));
    accepted(post(plain, binary("order-4", "/shop", "{}")));

    assertEquals(null, first.getValue("duplicate"));
    assertEquals(Map.of("order-4", 2), written(plain));
  }

  private static Map<String, Integer> written(String topic) {
    return idCountsSeenBy(IsolationLevel.READ_COMMITTED, topic);
  }

  private static JsonObject accepted(HttpResponse<String> response) {
    assertEquals(202, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static JsonObject structured(String id, String source) {
    return new JsonObject().put("specversion", "1.0").put("id", id).put("source", source).put("type", "dev.fnmesh.order")
        .put("datacontenttype", "application/json").put("data", new JsonObject().put("id", id));
  }

  private static HttpRequest.BodyPublisher batch(JsonObject... events) {
    return HttpRequest.BodyPublishers.ofString(new JsonArray(List.of((Object[]) events)).encode());
  }

  private HttpResponse<String> post(String topic, HttpRequest.BodyPublisher body) throws Exception {
    return post(topic, body, HttpEventDecoder.BATCH_JSON);
  }

  private HttpResponse<String> post(String topic, HttpRequest.BodyPublisher body, String contentType) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/topics/" + topic))
        .header("content-type", contentType).POST(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String topic, Binary event) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/topics/" + topic))
        .header("ce-specversion", "1.0").header("ce-id", event.id()).header("ce-source", event.source())
        .header("ce-type", "dev.fnmesh.order").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(event.data())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private record Binary(String id, String source, String data) {}

  private static Binary binary(String id, String source, String data) {
    return new Binary(id, source, data);
  }
}
