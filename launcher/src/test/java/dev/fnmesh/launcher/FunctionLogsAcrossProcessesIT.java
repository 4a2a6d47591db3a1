package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.kafka.fixture.PrometheusParser;
import dev.fnmesh.kafka.fixture.PrometheusParser.Family;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function's logs asked of the controller of a mesh across processes: the entries of every host that runs it,
 * each naming its host, read from the log topic the hosts write signed; following them sees a new entry of any
 * host. What the topic holds unsigned is never shown, and the topic takes no event through {@code /topics}.
 */
@ExtendWith(KafkaFixture.class)
class FunctionLogsAcrossProcessesIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;
  private ClusterNodes nodes;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void nodes() {
    nodes = new ClusterNodes(dir);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void theControllerAnswersAndFollowsTheLogsOfEveryHostThatRunsTheFunction() throws Exception {
    String topic = KafkaFixture.uniqueTopic("logs-cluster");
    ClusterSettings cluster = new ClusterSettings(topic + ".state", Duration.ofMillis(500), Duration.ofMinutes(5));
    String mesh = """
        functions:
          fail: { java: fail }
        triggers:
          failing-%s:
            kafka: { topic: %s, partitions: 2 }
            function: fail
            scale: { min: 2, max: 2 }
        """.formatted(topic, topic);
    ControllerNode controller = nodes.controller(cluster, mesh);
    HostNode first = nodes.host(cluster, "logs-host-a");
    HostNode second = nodes.host(cluster, "logs-host-b");
    for (HostNode host : List.of(first, second)) {
      await().atMost(WAIT).until(() -> call(host.httpPort(), "probe").statusCode() != 404);
    }

    assertEquals(502, call(first.httpPort(), "at-a").statusCode());
    assertEquals(502, call(second.httpPort(), "at-b").statusCode());

    await().atMost(WAIT).untilAsserted(() -> {
      JsonArray entries = logs(controller.httpPort());
      assertTrue(hasEntry(entries, "logs-host-a", "at-a"), entries.encodePrettily());
      assertTrue(hasEntry(entries, "logs-host-b", "at-b"), entries.encodePrettily());
    });

    // Unsigned, so not the hosts': whoever may write the topic without the key cannot put words in their mouths.
    try (KafkaProducer<byte[], byte[]> forger = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      forger.send(new ProducerRecord<>(cluster.logTopic(), new JsonObject().put("time", "2026-12-07T00:00:00Z")
          .put("host", "logs-host-a").put("function", "fail").put("stream", "failure").put("event_id", "forged")
          .put("message", "forged").encode().getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }
    List<ConsumerRecord<byte[], byte[]>> onTopic = TestMesh.readRecordsUntil(cluster.logTopic(),
        records -> records.stream().anyMatch(record -> new String(record.value(), StandardCharsets.UTF_8)
            .contains("forged")), WAIT);
    assertTrue(onTopic.stream().filter(record -> !new String(record.value(), StandardCharsets.UTF_8).contains("forged"))
        .allMatch(record -> record.headers().lastHeader(StateSignatures.HEADER) != null), "every host's record is signed");

    HttpResponse<InputStream> follow = http.send(HttpRequest.newBuilder(
        uri(controller.httpPort(), "/api/functions/fail/logs?follow=true")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, follow.statusCode());
    try (BufferedReader events = new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8))) {
      waitForData(events, entry -> "at-b".equals(entry.getString("event_id")));
      assertEquals(502, call(first.httpPort(), "after-follow").statusCode());
      JsonObject after = waitForData(events, entry -> "after-follow".equals(entry.getString("event_id")));
      assertEquals("logs-host-a", after.getString("host"));
    }
    assertTrue(logs(controller.httpPort()).stream().map(JsonObject.class::cast)
        .noneMatch(entry -> "forged".equals(entry.getString("event_id"))), "the unsigned record is not shown");

    HttpResponse<String> published = send(HttpRequest.newBuilder(uri(first.httpPort(), "/topics/" + cluster.logTopic()))
        .header("ce-specversion", "1.0").header("ce-id", "in").header("ce-source", "/tests").header("ce-type", "t")
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(404, published.statusCode(), published.body());

    List<Family> metrics = PrometheusParser.parse(send(HttpRequest.newBuilder(uri(controller.httpPort(), "/metrics")))
        .body(), PrometheusParser.Format.TEXT);
    for (String client : List.of("fnmesh-controller", "fnmesh-controller-logs")) {
      assertTrue(metrics.stream().anyMatch(family -> family.name().startsWith("kafka_consumer_") && family.samples()
          .stream().anyMatch(sample -> client.equals(sample.labels().get("client_id")))), "the consumer " + client);
    }
  }

  private static boolean hasEntry(JsonArray entries, String host, String eventId) {
    return entries.stream().map(JsonObject.class::cast).anyMatch(entry -> host.equals(entry.getString("host"))
        && eventId.equals(entry.getString("event_id")) && "failure".equals(entry.getString("stream")));
  }

  /** Reads server-sent events until an entry matches; fails the test when none does in time. */
  private static JsonObject waitForData(BufferedReader events, Predicate<JsonObject> wanted)
      throws Exception {
    CompletableFuture<JsonObject> found = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = events.readLine(); line != null; line = events.readLine()) {
          if (line.startsWith("data: ")) {
            JsonObject entry = new JsonObject(line.substring("data: ".length()));
            if (wanted.test(entry)) {
              return entry;
            }
          }
        }
        throw new AssertionError("the stream ended");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return found.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private JsonArray logs(int port) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri(port, "/api/functions/fail/logs")));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonArray(response.body());
  }

  private HttpResponse<String> call(int port, String eventId) throws Exception {
    return send(HttpRequest.newBuilder(uri(port, "/functions/fail")).header("ce-specversion", "1.0")
        .header("ce-id", eventId).header("ce-source", "/tests").header("ce-type", "t")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
