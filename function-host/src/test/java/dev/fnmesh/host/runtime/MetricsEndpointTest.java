package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.TriggerStats.Attempt;
import dev.fnmesh.host.TriggerStats.Outcome;
import dev.fnmesh.host.metrics.ProcessMetrics;
import dev.fnmesh.kafka.fixture.PrometheusParser;
import dev.fnmesh.kafka.fixture.PrometheusParser.Family;
import dev.fnmesh.kafka.fixture.PrometheusParser.Format;
import dev.fnmesh.kafka.fixture.PrometheusParser.Sample;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} read with Prometheus's own parser: the series of the triggers under the names the
 * README gives, labelled by trigger, with the values of their status and of their meters; which ones depends
 * on the role; OpenMetrics with exemplars when asked for.
 */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

  // The parser names a counter's family without its _total.
  private static final String REPLICAS = "fnmesh_trigger_replicas";
  private static final String DESIRED = "fnmesh_trigger_desired_replicas";
  private static final String LAG = "fnmesh_trigger_lag";
  private static final String STALLED = "fnmesh_trigger_stalled";
  private static final String EVENTS = "fnmesh_trigger_events";
  private static final String REJECTED = "fnmesh_state_rejected";
  private static final String DURATION = "fnmesh_function_duration_seconds";
  private static final List<TriggerStatus> TRIGGERS = List.of(
      status("orders", "stalled", 2, 4, 120),
      status("invoices", "running", 0, 0, 0));
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  private final ProcessMetrics metrics = new ProcessMetrics(Optional.empty());
  private final List<AutoCloseable> closing = new ArrayList<>(List.of(metrics));
  private HttpServer server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      join(server.close());
    }
    for (AutoCloseable resource : closing) {
      resource.close();
    }
  }

  @Test
  void theWholeMeshServesEverySeriesLabelledByTriggerWithTheStatusAndMeterValues(Vertx vertx) throws Exception {
    TriggerStats orders = stats(metrics, "orders");
    for (int i = 0; i < 10; i++) {
      orders.received();
    }
    for (int i = 0; i < 7; i++) {
      orders.attempted(Attempt.SUCCEEDED, 1_000_000);
    }
    orders.filtered();
    orders.retried();
    orders.retried();
    orders.deadLettered("timeout");
    stats(metrics, "invoices");

    HttpResponse<Buffer> response = get(vertx, endpoint(MetricsEndpoint.Role.WHOLE_MESH, () -> 3), "text/plain");

    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeader("content-type"));
    Map<String, Family> families = fnmeshFamilies(response, Format.TEXT);
    assertTrue(families.keySet().containsAll(List.of(REPLICAS, DESIRED, LAG, STALLED, EVENTS, REJECTED)),
        families.keySet().toString());
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
    assertEquals(List.of(new Sample(REJECTED + "_total", Map.of(), 3.0, null)),
        families.get(REJECTED).samples());
  }

  @Test
  void aBatchTriggersSizesAreAHistogramThatATriggerWithoutBatchesDoesNotShow(Vertx vertx) throws Exception {
    TriggerStats orders = stats(metrics, "orders");
    stats(metrics, "invoices");
    orders.batched(100);
    orders.batched(3);

    Map<String, Family> families = fnmeshFamilies(get(vertx, endpoint(MetricsEndpoint.Role.HOST, () -> 0), null),
        Format.TEXT);

    Family sizes = families.get("fnmesh_trigger_batch_size");
    assertEquals("histogram", sizes.type());
    Map<String, Double> buckets = buckets(sizes, s -> true);
    assertEquals(0.0, buckets.get("2.0"));
    assertEquals(1.0, buckets.get("5.0"));
    assertEquals(2.0, buckets.get("100.0"));
    assertEquals(Set.of("orders"), sizes.samples().stream().map(s -> s.labels().get("trigger"))
        .collect(Collectors.toSet()), "invoices delivers single events: no series");
  }

  @Test
  void theSnapshotTheStatusShowsIsReadFromTheSameMeters() {
    TriggerStats orders = stats(metrics, "orders");
    orders.received();
    orders.received();
    orders.attempted(Attempt.SUCCEEDED, 1_000);
    orders.attempted(Attempt.FAILED, 1_000);
    orders.retried();
    orders.deadLettered("function-failed");
    orders.deadLettered("a-code-not-known-before");

    assertEquals(new TriggerStats.Snapshot(2, 1, 0, 1, 2), orders.snapshot());
    assertEquals(2.0, metrics.registry().get("fnmesh.trigger.events").tags("trigger", "orders", "outcome", "received")
        .counter().count());
  }

  @Test
  void aFunctionsDurationIsAClassicHistogramWithBucketsFromMillisecondsToAMinute(Vertx vertx) throws Exception {
    TriggerStats orders = stats(metrics, "orders");
    orders.attempted(Attempt.SUCCEEDED, 3_000_000);
    orders.attempted(Attempt.TIMEOUT, 20_000_000_000L);
    orders.ended(Outcome.DEAD_LETTERED, System.currentTimeMillis() - 40);

    Map<String, Family> families = fnmeshFamilies(get(vertx, endpoint(MetricsEndpoint.Role.HOST, () -> 0), null),
        Format.TEXT);

    Family duration = families.get(DURATION);
    assertEquals("histogram", duration.type());
    Map<String, Double> succeeded = buckets(duration, s -> s.labels().get("outcome").equals("succeeded"));
    assertEquals(0.0, succeeded.get("0.002"));
    assertEquals(1.0, succeeded.get("0.005"));
    assertEquals(1.0, succeeded.get("+Inf"));
    assertTrue(succeeded.keySet().containsAll(List.of("0.001", "0.01", "0.1", "1.0", "10.0", "30.0", "60.0")),
        succeeded.keySet().toString());
    Map<String, Double> timedOut = buckets(duration, s -> s.labels().get("outcome").equals("timeout"));
    assertEquals(0.0, timedOut.get("10.0"));
    assertEquals(1.0, timedOut.get("30.0"));
    assertEquals(Set.of("trigger", "function", "outcome", "le"),
        duration.samples().stream().filter(s -> s.name().endsWith("_bucket")).findFirst().orElseThrow().labels().keySet());
    assertEquals(1.0, sample(families.get("fnmesh_function_attempts"), Map.of("trigger", "orders", "function", "fn",
        "outcome", "timeout")));
    Map<String, Double> deadLettered = buckets(families.get("fnmesh_event_latency_seconds"),
        s -> s.labels().get("outcome").equals("dead_lettered"));
    assertEquals(0.0, deadLettered.get("0.025"));
    assertEquals(1.0, deadLettered.get("+Inf"));
    assertEquals(0.0, sample(families.get("fnmesh_dead_letters"), Map.of("trigger", "orders", "code", "timeout")),
        "every code is there from the start");
  }

  @Test
  void aControllerServesReplicasAndLagButNoStalls(Vertx vertx) throws Exception {
    Map<String, Family> families = fnmeshFamilies(get(vertx, endpoint(MetricsEndpoint.Role.CONTROLLER, () -> 0), null),
        Format.TEXT);

    assertEquals(Set.of(REPLICAS, DESIRED, LAG, REJECTED), families.keySet());
    assertGauge(families.get(LAG), Map.of("orders", 120.0, "invoices", 0.0));
  }

  @Test
  void aHostServesReplicasAndStallsButNoLag(Vertx vertx) throws Exception {
    Map<String, Family> families = fnmeshFamilies(get(vertx, endpoint(MetricsEndpoint.Role.HOST, () -> 0), null),
        Format.TEXT);

    assertEquals(Set.of(REPLICAS, DESIRED, STALLED, REJECTED), families.keySet());
    assertGauge(families.get(REPLICAS), Map.of("orders", 2.0, "invoices", 0.0));
    assertGauge(families.get(STALLED), Map.of("orders", 1.0, "invoices", 0.0));
  }

  @Test
  void aTriggerThatStoppedLeavesEverySeries(Vertx vertx) throws Exception {
    TriggerStats orders = stats(metrics, "orders");
    orders.received();
    orders.close();

    Map<String, Family> families = fnmeshFamilies(get(vertx, new MetricsEndpoint(metrics.registry(), List::of,
        MetricsEndpoint.Role.WHOLE_MESH, () -> 0), null), Format.TEXT);

    List<Sample> ofOrders = families.values().stream().flatMap(family -> family.samples().stream())
        .filter(s -> "orders".equals(s.labels().get("trigger"))).toList();
    assertEquals(List.of(), ofOrders);
    assertEquals(Set.of(REJECTED), families.keySet());
  }

  @Test
  void openMetricsIsServedWhenAskedForWithTheTraceOfTheCurrentSpanAsExemplar(Vertx vertx) throws Exception {
    ProcessMetrics traced = ProcessMetrics.create(true);
    closing.add(traced);
    TriggerStats orders = stats(traced, "orders");
    Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    try (Scope scope = span.makeCurrent()) {
      orders.attempted(Attempt.SUCCEEDED, 3_000_000);
    }

    HttpResponse<Buffer> response = get(vertx, new MetricsEndpoint(traced.registry(), () -> TRIGGERS,
        MetricsEndpoint.Role.WHOLE_MESH, () -> 0), "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");

    assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", response.getHeader("content-type"));
    Map<String, Family> families = fnmeshFamilies(response, Format.OPENMETRICS);
    List<Sample> exemplified = families.get(DURATION).samples().stream().filter(s -> s.exemplar() != null).toList();
    assertEquals(1, exemplified.size(), families.get(DURATION).toString());
    assertEquals("0.005", exemplified.get(0).labels().get("le"));
    assertEquals(Map.of("trace_id", TRACE_ID, "span_id", SPAN_ID), exemplified.get(0).exemplar().labels());
    assertFalse(PrometheusParser.parse(response.bodyAsString(), Format.OPENMETRICS).stream()
        .filter(family -> family.name().startsWith("jvm_memory")).toList().isEmpty(), "the JVM's series too");
  }

  private MetricsEndpoint endpoint(MetricsEndpoint.Role role, LongSupplier rejected) {
    return new MetricsEndpoint(metrics.registry(), () -> TRIGGERS, role, rejected);
  }

  private static TriggerStats stats(ProcessMetrics metrics, String trigger) {
    return new TriggerStats(metrics.registry(), KafkaClientMeters.none(), trigger, "fn", List.of("timeout"));
  }

  private static Map<String, Family> fnmeshFamilies(HttpResponse<Buffer> response, Format format) {
    return PrometheusParser.parse(response.bodyAsString(), format).stream()
        .filter(family -> family.name().startsWith("fnmesh_") && !family.name().endsWith("_max"))
        .collect(Collectors.toMap(Family::name, family -> family));
  }

  private static Map<String, Double> buckets(Family histogram, Predicate<Sample> which) {
    return histogram.samples().stream().filter(s -> s.name().endsWith("_bucket")).filter(which)
        .collect(Collectors.toMap(s -> s.labels().get("le"), Sample::value));
  }

  private static double sample(Family family, Map<String, String> labels) {
    return family.samples().stream().filter(s -> s.labels().equals(labels)).findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + labels + " in " + family)).value();
  }

  private static void assertGauge(Family family, Map<String, Double> byTrigger) {
    assertEquals("gauge", family.type(), family.name());
    assertEquals(byTrigger, family.samples().stream().collect(Collectors.toMap(s -> s.labels().get("trigger"), Sample::value)),
        family.name());
    family.samples().forEach(s -> assertEquals(Set.of("trigger"), s.labels().keySet(), s.toString()));
    assertFalse(family.help() == null || family.help().isBlank(), family.name() + " has a HELP");
  }

  private HttpResponse<Buffer> get(Vertx vertx, MetricsEndpoint endpoint, String accept) throws Exception {
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = join(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
    var request = client.get("/metrics");
    if (accept != null) {
      request.putHeader("accept", accept);
    }
    return join(request.send());
  }

  private static TriggerStatus status(String name, String state, int replicas, int desired, long lag) {
    return new TriggerStatus(name, "kafka", name, "identity", List.of(), state, Optional.empty(), replicas,
        new TriggerStats.Snapshot(0, 0, 0, 0, 0),
        new ScalingStatus(desired, lag, Map.of(0, lag), Optional.empty(), Optional.empty()));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
