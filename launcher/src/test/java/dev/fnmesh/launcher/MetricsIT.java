package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.kafka.fixture.PrometheusParser;
import dev.fnmesh.kafka.fixture.PrometheusParser.Family;
import dev.fnmesh.kafka.fixture.PrometheusParser.Format;
import dev.fnmesh.kafka.fixture.PrometheusParser.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} of a running mesh, read with Prometheus's parser: a trigger whose function succeeds and
 * one whose function fails, retried once then dead-lettered, show in the histograms, the attempt and dead
 * letter counters; the ingress requests by route and status; the JVM and every Kafka client have their series,
 * a client's as long as it is open.
 */
@ExtendWith(KafkaFixture.class)
class MetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int EVENTS = 3;
  private static String good;
  private static String bad;
  private static TestMesh mesh;

  @BeforeAll
  static void start() {
    good = KafkaFixture.uniqueTopic("metrics-good");
    bad = KafkaFixture.uniqueTopic("metrics-bad");
    mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
          fail: { java: fail }
        triggers:
          good:
            kafka: { topic: %s, partitions: 1 }
            function: echo
            reply: { topic: %s.replies }
          bad:
            kafka: { topic: %s, partitions: 1 }
            function: fail
            delivery: { retry: 1, backoffDelay: PT0.05S }
        """.formatted(good, good, bad));
    for (int i = 0; i < EVENTS; i++) {
      publish(good, "g-" + i);
      publish(bad, "b-" + i);
    }
    TestMesh.readRecords(good + ".replies", EVENTS, WAIT);
    TestMesh.readRecords("fnmesh.bad.dlq", EVENTS, WAIT);
    HttpResponse<String> called = mesh.send(mesh.request("/functions/echo").header("ce-specversion", "1.0")
        .header("ce-id", "called").header("ce-source", "/tests").header("ce-type", "t")
        .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertEquals(200, called.statusCode(), called.body());
    assertEquals(404, mesh.send(mesh.request("/nowhere/" + good).GET()).statusCode());
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void eachAttemptIsTimedAndCountedByOutcomeAndEachEventByHowItEnded() {
    // The latency is taken once Kafka acknowledged the reply or dead letter, which may come after a reader saw it.
    await().atMost(WAIT).until(() -> count(scrape(Format.TEXT), "fnmesh_event_latency_seconds", "_count",
        labels("trigger", "bad", "outcome", "dead_lettered")) == EVENTS);
    List<Family> metrics = scrape(Format.TEXT);

    assertEquals("histogram", family(metrics, "fnmesh_function_duration_seconds").type());
    assertEquals(EVENTS, count(metrics, "fnmesh_function_duration_seconds", "_bucket",
        labels("trigger", "good", "function", "echo", "outcome", "succeeded", "le", "+Inf")));
    assertEquals(2 * EVENTS, count(metrics, "fnmesh_function_duration_seconds", "_count",
        labels("trigger", "bad", "function", "fail", "outcome", "failed")), "two attempts each");
    assertEquals(EVENTS, count(metrics, "fnmesh_function_attempts", "_total",
        labels("trigger", "good", "function", "echo", "outcome", "succeeded")));
    assertEquals(2 * EVENTS, count(metrics, "fnmesh_function_attempts", "_total",
        labels("trigger", "bad", "function", "fail", "outcome", "failed")));
    assertEquals(0, count(metrics, "fnmesh_function_attempts", "_total",
        labels("trigger", "bad", "function", "fail", "outcome", "succeeded")));
    assertEquals(EVENTS, count(metrics, "fnmesh_dead_letters", "_total", labels("trigger", "bad", "code", "function-failed")));
    assertEquals(0, count(metrics, "fnmesh_dead_letters", "_total", labels("trigger", "bad", "code", "timeout")));
    assertEquals(EVENTS, count(metrics, "fnmesh_event_latency_seconds", "_count",
        labels("trigger", "good", "outcome", "succeeded")));
    assertEquals(EVENTS, count(metrics, "fnmesh_trigger_events", "_total", labels("trigger", "bad", "outcome", "retried")));
    assertEquals(EVENTS, count(metrics, "fnmesh_trigger_events", "_total",
        labels("trigger", "bad", "outcome", "dead_lettered")));
    assertEquals(EVENTS, count(metrics, "fnmesh_trigger_events", "_total", labels("trigger", "good", "outcome", "succeeded")));
  }

  @Test
  void ingressRequestsAreCountedByRouteAndStatusNeverByRawPath() {
    List<Family> metrics = scrape(Format.TEXT);

    Family requests = family(metrics, "vertx_http_server_requests");
    assertEquals(2 * EVENTS, count(metrics, "vertx_http_server_requests", "_total",
        labels("route", "/topics/:topic", "method", "POST", "code", "202")), requests.toString());
    assertEquals(1, count(metrics, "vertx_http_server_requests", "_total",
        labels("route", "/functions/:name", "method", "POST", "code", "200")), requests.toString());
    assertEquals(1, count(metrics, "vertx_http_server_requests", "_total",
        labels("route", "", "method", "GET", "code", "404")), "a request no route took: " + requests);
    for (Sample sample : requests.samples()) {
      assertFalse(sample.labels().values().stream().anyMatch(value -> value.contains(good) || value.contains(bad)),
          "no label carries a topic: " + sample);
    }
  }

  @Test
  void theJvmAndTheKafkaClientsHaveTheirSeries() {
    List<Family> metrics = scrape(Format.TEXT);

    // Not jvm_gc_pause_seconds: it appears with the first collection, which a short test may not see.
    for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes", "jvm_threads_live_threads",
        "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds")) {
      assertTrue(metrics.stream().anyMatch(family -> family.name().equals(name)), name);
    }
    assertTrue(metrics.stream().anyMatch(family -> family.name().startsWith("kafka_producer_")), "the publisher's producer");
    assertTrue(metrics.stream().anyMatch(family -> family.name().startsWith("kafka_consumer_")
        && family.samples().stream().anyMatch(s -> s.labels().getOrDefault("client_id", "").startsWith("fnmesh-good-"))),
        "a consumer of the trigger good");
  }

  @Test
  void everyKafkaClientOfTheProcessHasItsSeriesUntilItCloses() throws IOException {
    List<Family> metrics = scrape(Format.TEXT);

    assertTrue(hasClient(metrics, "kafka_admin_client_", "fnmesh-admin-"), "the topic admin");
    assertTrue(hasClient(metrics, "kafka_admin_client_", "fnmesh-reachability-"), "the readiness check's admin");
    assertTrue(hasClient(metrics, "kafka_admin_client_", "fnmesh-lag-"), "the lag monitor's admin");
    assertTrue(hasClient(metrics, "kafka_consumer_", "fnmesh-cron-"), "the cron scheduler's consumer");
    assertTrue(hasClient(metrics, "kafka_admin_client_", "fnmesh-cron-"), "the cron scheduler's admin");
    assertFalse(hasClient(metrics, "kafka_consumer_", "fnmesh-tail-"), "no tail is open yet");

    try (Socket tail = new Socket("127.0.0.1", mesh.httpPort())) {
      tail.getOutputStream().write(("GET /api/topics/" + good + "/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      await().atMost(WAIT).until(() -> hasClient(scrape(Format.TEXT), "kafka_consumer_", "fnmesh-tail-"));
    }
    await().atMost(WAIT).until(() -> !hasClient(scrape(Format.TEXT), "kafka_consumer_", "fnmesh-tail-"));
  }

  @Test
  void openMetricsIsServedWhenAskedForAndParsesStrictly() {
    HttpResponse<String> response = mesh.send(mesh.request("/metrics")
        .header("accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").GET());

    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/openmetrics-text"),
        response.headers().toString());
    List<Family> metrics = PrometheusParser.parse(response.body(), Format.OPENMETRICS);
    assertEquals("histogram", family(metrics, "fnmesh_event_latency_seconds").type());
    assertTrue(response.body().endsWith("# EOF\n"));
  }

  private static void publish(String topic, String id) {
    HttpResponse<String> accepted = mesh.send(mesh.request("/topics/" + topic).header("ce-specversion", "1.0")
        .header("ce-id", id).header("ce-source", "/tests").header("ce-type", "t")
        .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertEquals(202, accepted.statusCode(), accepted.body());
  }

  private static List<Family> scrape(Format format) {
    HttpResponse<String> response = mesh.send(mesh.request("/metrics").GET());
    assertEquals(200, response.statusCode());
    return PrometheusParser.parse(response.body(), format);
  }

  private static boolean hasClient(List<Family> metrics, String prefix, String clientId) {
    return metrics.stream().anyMatch(family -> family.name().startsWith(prefix) && family.samples().stream()
        .anyMatch(sample -> sample.labels().getOrDefault("client_id", "").startsWith(clientId)));
  }

  private static Family family(List<Family> metrics, String name) {
    return metrics.stream().filter(family -> family.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no family " + name + " among "
            + metrics.stream().map(Family::name).toList()));
  }

  /** The value of the one sample {@code name + suffix} whose labels include these; 0 when there is none. */
  private static double count(List<Family> metrics, String name, String suffix, Predicate<Map<String, String>> labels) {
    List<Sample> found = family(metrics, name).samples().stream()
        .filter(s -> s.name().equals(name + suffix) && labels.test(s.labels())).toList();
    assertTrue(found.size() <= 1, found.toString());
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  private static Predicate<Map<String, String>> labels(String... pairs) {
    return actual -> {
      for (int i = 0; i < pairs.length; i += 2) {
        if (!pairs[i + 1].equals(actual.get(pairs[i]))) {
          return false;
        }
      }
      return true;
    };
  }
}
