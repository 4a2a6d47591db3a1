package dev.fnmesh.host.runtime;

import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.runtime.PrometheusText.Family;
import dev.fnmesh.host.runtime.PrometheusText.Sample;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code GET /metrics} read as the Prometheus text exposition format: every line valid, and the series the
 * README names, labelled by trigger, with the values of the triggers' status; which ones depends on the role.
 */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

  private static final String REPLICAS = "fnmesh_trigger_replicas";
  private static final String DESIRED = "fnmesh_trigger_desired_replicas";
  private static final String LAG = "fnmesh_trigger_lag";
  private static final String STALLED = "fnmesh_trigger_stalled";
  private static final String EVENTS = "fnmesh_trigger_events_total";
  private static final String REJECTED = "fnmesh_state_rejected_total";
  private static final List<TriggerStatus> TRIGGERS = List.of(
      status("orders", "stalled", 2, 4, 120, new TriggerStats.Snapshot(10, 7, 1, 2, 1)),
      status("invoices", "running", 0, 0, 0, new TriggerStats.Snapshot(0, 0, 0, 0, 0)));

  private HttpServer server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      join(server.close());
    }
  }

  @Test
  void theWholeMeshServesEverySeriesLabelledByTriggerWithTheStatusValues(Vertx vertx) throws Exception {
    HttpResponse<Buffer> response = get(vertx, new MetricsEndpoint(() -> TRIGGERS, MetricsEndpoint.Role.WHOLE_MESH, () -> 3));

    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeader("content-type"));
    Map<String, Family> families = PrometheusText.parse(response.bodyAsString());
    assertEquals(List.of(REPLICAS, DESIRED, LAG, STALLED, EVENTS, REJECTED), List.copyOf(families.keySet()));
    assertGauge(families.get(REPLICAS), Map.of("orders", 2.0, "invoices", 0.0));
    assertGauge(families.get(DESIRED), Map.of("orders", 4.0, "invoices", 0.0));
    assertGauge(families.get(LAG), Map.of("orders", 120.0, "invoices", 0.0));
    assertGauge(families.get(STALLED), Map.of("orders", 1.0, "invoices", 0.0));
    Family events = families.get(EVENTS);
    assertEquals("counter", events.type());
    assertEquals(10, events.samples().size(), events.toString());
    assertEquals(Map.of("received", 10.0, "succeeded", 7.0, "filtered", 1.0, "retried", 2.0, "dead_lettered", 1.0),
        events.samples().stream().filter(s -> s.labels().get("trigger").equals("orders"))
            .collect(Collectors.toMap(s -> s.labels().get("outcome"), Sample::value)));
    events.samples().forEach(s -> assertEquals(Set.of("trigger", "outcome"), s.labels().keySet(), s.toString()));
    assertEquals("counter", families.get(REJECTED).type());
    assertEquals(List.of(new Sample(REJECTED, Map.of(), 3.0)), families.get(REJECTED).samples());
  }

  @Test
  void aControllerServesReplicasAndLagButNoEventCountsNorStalls(Vertx vertx) throws Exception {
    HttpResponse<Buffer> response = get(vertx, new MetricsEndpoint(() -> TRIGGERS, MetricsEndpoint.Role.CONTROLLER, () -> 0));

    Map<String, Family> families = PrometheusText.parse(response.bodyAsString());
    assertEquals(List.of(REPLICAS, DESIRED, LAG, REJECTED), List.copyOf(families.keySet()));
    assertGauge(families.get(LAG), Map.of("orders", 120.0, "invoices", 0.0));
  }

  @Test
  void aHostServesReplicasStallsAndEventCountsButNoLag(Vertx vertx) throws Exception {
    HttpResponse<Buffer> response = get(vertx, new MetricsEndpoint(() -> TRIGGERS, MetricsEndpoint.Role.HOST, () -> 0));

    Map<String, Family> families = PrometheusText.parse(response.bodyAsString());
    assertEquals(List.of(REPLICAS, DESIRED, STALLED, EVENTS, REJECTED), List.copyOf(families.keySet()));
    assertGauge(families.get(REPLICAS), Map.of("orders", 2.0, "invoices", 0.0));
    assertGauge(families.get(STALLED), Map.of("orders", 1.0, "invoices", 0.0));
  }

  @Test
  void withoutTriggersEveryTriggerFamilyIsDeclaredAndHasNoSample(Vertx vertx) throws Exception {
    HttpResponse<Buffer> response = get(vertx, new MetricsEndpoint(List::of, MetricsEndpoint.Role.WHOLE_MESH, () -> 0));

    Map<String, Family> families = PrometheusText.parse(response.bodyAsString());
    assertEquals(List.of(REPLICAS, DESIRED, LAG, STALLED, EVENTS, REJECTED), List.copyOf(families.keySet()));
    families.values().stream().filter(family -> !family.name().equals(REJECTED))
        .forEach(family -> assertEquals(List.of(), family.samples(), family.name()));
    assertEquals(List.of(new Sample(REJECTED, Map.of(), 0.0)), families.get(REJECTED).samples(), "a counter of the process");
  }

  @Test
  void theReaderRefusesTextThatIsNotTheExpositionFormat() {
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na{trigger=\"x\"} 1"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("a{trigger=\"x\"} 1\n# TYPE a gauge\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na{trigger=x} 1\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na{trigger=\"x\"} one\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na 1\nb 1\na 2\n"));
    assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na{t=\"x\"} 1\na{t=\"x\"} 2\n"));
  }

  private static void assertGauge(Family family, Map<String, Double> byTrigger) {
    assertEquals("gauge", family.type(), family.name());
    assertEquals(byTrigger, family.samples().stream().collect(Collectors.toMap(s -> s.labels().get("trigger"), Sample::value)),
        family.name());
    family.samples().forEach(s -> assertEquals(Set.of("trigger"), s.labels().keySet(), s.toString()));
    assertFalse(family.help() == null || family.help().isBlank(), family.name() + " has a HELP");
  }

  private HttpResponse<Buffer> get(Vertx vertx, MetricsEndpoint endpoint) throws Exception {
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = join(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
    return join(client.get("/metrics").send());
  }

  private static TriggerStatus status(String name, String state, int replicas, int desired, long lag,
      TriggerStats.Snapshot stats) {
    return new TriggerStatus(name, "kafka", name, "identity", Optional.empty(), state, Optional.empty(), replicas,
        stats, new ScalingStatus(desired, lag, Map.of(0, lag), Optional.empty(), Optional.empty()));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
