package dev.fnmesh.broker;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.broker.CommittedReads.idsSeenBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch request is written in one Kafka transaction: read_committed consumers, as every trigger is, see
 * all of its events or none, and 202 means all of them.
 */
@ExtendWith(KafkaFixture.class)
class AtomicBatchIT {

  /** The topic takes records up to this size, so that an event of the batch can be one Kafka refuses. */
  private static final int MAX_MESSAGE_BYTES = 4096;
  private static final int PARTITIONS = 4;

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private EventPublisher publisher;
  private TopicAdmin topics;
  private HttpServer server;
  private String topic;

  @BeforeEach
  void ingressOnATopicWithSmallRecords() throws Exception {
    topic = KafkaFixture.uniqueTopic("batches");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty())
          .configs(Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES))))).all().get(30, TimeUnit.SECONDS);
    }
    vertx = Vertx.vertx();
    KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
    publisher = EventPublisher.create(vertx, kafka);
    topics = TopicAdmin.create(vertx, kafka);
    DeclaredTopics declared = new DeclaredTopics();
    declared.replace(Map.of(topic, TopicSettings.of(PARTITIONS)));
    Router router = Router.router(vertx);
    new TopicIngress(HttpEventDecoder.create(), publisher, topics, declared, IngressSettings.defaults(),
        (eventTopic, event) -> Optional.empty()).mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    publisher.close().eventually(() -> topics.close())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aBatchIsReadWholeByReadCommittedConsumersOnceAccepted() throws Exception {
    List<String> ids = ids("good", 30);

    HttpResponse<String> response = post(batch(ids, ""));

    assertEquals(202, response.statusCode(), response.body());
    assertEquals(30, new JsonObject(response.body()).getInteger("accepted"));
    assertEquals(Set.copyOf(ids), idsSeenBy(IsolationLevel.READ_COMMITTED, topic));
  }

  @Test
  void aBatchWhoseLastEventKafkaRefusesIsVisibleToNoReadCommittedConsumer() throws Exception {
    List<String> ids = ids("doomed", 11);
    String tooLarge = "x".repeat(MAX_MESSAGE_BYTES * 2);

    HttpResponse<String> response = post(batch(ids, tooLarge));

    assertEquals(413, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getString("message").contains("nothing of the batch"), response.body());
    Set<String> committed = idsSeenBy(IsolationLevel.READ_COMMITTED, topic);
    assertTrue(committed.isEmpty(), "read_committed saw " + committed);
    // The events Kafka took before the refusal were written and aborted: a read_uncommitted reader sees them.
    Set<String> uncommitted = idsSeenBy(IsolationLevel.READ_UNCOMMITTED, topic);
    assertFalse(uncommitted.isEmpty(), "the aborted events should be in the log");
    assertTrue(Set.copyOf(ids).containsAll(uncommitted), uncommitted.toString());
  }

  @Test
  void concurrentBatchesAreEachAcceptedWhole() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      List<String> ids = ids("concurrent-" + i, 25);
      all.addAll(ids);
      responses.add(http.sendAsync(request(batch(ids, "")), HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> response : responses) {
      assertEquals(202, response.get(30, TimeUnit.SECONDS).statusCode(), response.get().body());
    }
    assertEquals(all, idsSeenBy(IsolationLevel.READ_COMMITTED, topic));
  }

  @Test
  void aBatchKafkaRefusesTakesNoConcurrentBatchWithIt() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> good = new ArrayList<>();
    Set<String> goodIds = new HashSet<>();
    CompletableFuture<HttpResponse<String>> doomed = null;
    for (int i = 0; i < 12; i++) {
      List<String> ids = ids("neighbour-" + i, 10);
      if (i == 6) {
        doomed = http.sendAsync(request(batch(ids, "x".repeat(MAX_MESSAGE_BYTES * 2))), HttpResponse.BodyHandlers.ofString());
      } else {
        goodIds.addAll(ids);
        good.add(http.sendAsync(request(batch(ids, "")), HttpResponse.BodyHandlers.ofString()));
      }
    }

    assertEquals(413, doomed.get(30, TimeUnit.SECONDS).statusCode(), doomed.get().body());
    for (CompletableFuture<HttpResponse<String>> response : good) {
      assertEquals(202, response.get(30, TimeUnit.SECONDS).statusCode(), response.get().body());
    }
    assertEquals(goodIds, idsSeenBy(IsolationLevel.READ_COMMITTED, topic));
  }

  private static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(prefix + "-" + i);
    }
    return ids;
  }

  /** The events in batch mode, keyed so that they spread over the partitions; the last one's data is as given. */
  private static String batch(List<String> ids, String lastData) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < ids.size(); i++) {
      String data = i == ids.size() - 1 && !lastData.isEmpty() ? lastData : "event " + i;
      events.add(new JsonObject().put("specversion", "1.0").put("id", ids.get(i)).put("source", "/batch-it")
          .put("type", "dev.fnmesh.test").put("partitionkey", "key-" + i)
          .put("datacontenttype", "application/json").put("data", new JsonObject().put("text", data)));
    }
    return events.encode();
  }

  private HttpRequest request(String body) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort() + "/topics/" + topic))
        .header("content-type", HttpEventDecoder.BATCH_JSON).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(request(body), HttpResponse.BodyHandlers.ofString());
  }
}
