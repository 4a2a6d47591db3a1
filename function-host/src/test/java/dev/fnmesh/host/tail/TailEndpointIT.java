package dev.fnmesh.host.tail;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.TopicSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Following a topic holds a consumer and a thread: beyond the bound a client is told to come back later. */
@ExtendWith(KafkaFixture.class)
class TailEndpointIT {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFollowerBeyondTheBoundIsAnswered503WithRetryAfterAndASlotFreesWhenAFollowerLeaves() throws Exception {
    String topic = KafkaFixture.uniqueTopic("tail");
    KafkaFixture.createTopic(topic, 1);
    MeshConfig mesh = new MeshConfig(Map.of(), Map.of(),
        Map.of(topic, new TopicSpec(topic, TopicSettings.of(1), Optional.empty())));
    Router router = Router.router(vertx);
    new TailEndpoint(vertx, KafkaSettings.of(KafkaFixture.bootstrapServers()), KafkaClientMeters.none(), () -> mesh,
        1).mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    URI events = URI.create("http://127.0.0.1:" + server.actualPort() + "/api/topics/" + topic + "/events");

    HttpResponse<InputStream> first = http.send(HttpRequest.newBuilder(events).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, first.statusCode());
    HttpResponse<String> second = http.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(503, second.statusCode(), second.body());
    assertEquals("5", second.headers().firstValue("Retry-After").orElseThrow());
    assertEquals("topic", new JsonObject(second.body()).getString("field"));

    first.body().close();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int status;
    do {
      HttpResponse<InputStream> again = http.send(HttpRequest.newBuilder(events).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      status = again.statusCode();
      again.body().close();
    } while (status != 200 && System.nanoTime() < deadline);
    assertEquals(200, status, "the slot of the follower that left was not freed");
  }
}
