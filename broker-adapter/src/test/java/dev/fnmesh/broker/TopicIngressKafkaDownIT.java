package dev.fnmesh.broker;

import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When Kafka cannot take an event the ingress answers 503 with Retry-After and acknowledges nothing. */
class TopicIngressKafkaDownIT {

  private Vertx vertx;
  private EventPublisher publisher;
  private TopicAdmin topics;

  @BeforeEach
  void kafkaThatNobodyAnswers() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // Short client timeouts so the test hears about the unreachable broker quickly.
    KafkaSettings kafka = new KafkaSettings("127.0.0.1:" + closedPort, Map.of(
        "default.api.timeout.ms", "1500", "request.timeout.ms", "1000", "max.block.ms", "1500",
        "delivery.timeout.ms", "2000", "linger.ms", "0"));
    vertx = Vertx.vertx();
    publisher = EventPublisher.create(vertx, kafka);
    topics = TopicAdmin.create(vertx, kafka);
  }

  @AfterEach
  void stop() throws Exception {
    publisher.close().eventually(() -> topics.close())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "creating missing topics: {0}")
  @ValueSource(booleans = {true, false})
  void answersServiceUnavailableWhenKafkaIsUnreachable(boolean createMissingTopics) throws Exception {
    Router router = Router.router(vertx);
    DeclaredTopics declared = new DeclaredTopics();
    declared.replace(Map.of("orders", TopicSettings.of(1)));
    new TopicIngress(HttpEventDecoder.create(), publisher, topics, declared,
        new IngressSettings(1024 * 1024, createMissingTopics, IngressSettings.DEFAULT_MAX_BATCH_EVENTS), (topic, event) -> Optional.empty())
        .mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort() + "/topics/orders"))
            .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "/s").header("ce-type", "t")
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(503, response.statusCode(), response.body());
    assertEquals("1", response.headers().firstValue("retry-after").orElse(null));
    JsonObject body = new JsonObject(response.body());
    assertEquals("kafka", body.getString("field"));
    assertTrue(body.getString("message").contains("retry"), body.encode());
  }
}
