package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.HttpSurface;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics}: the process's meter registry in the Prometheus text format (0.0.4), or in OpenMetrics,
 * with exemplars, when the scraper asks for {@code application/openmetrics-text}. Before each scrape it sets
 * the gauges of the triggers known at that moment (replicas, desired replicas, lag, stalled), so that a
 * trigger gone from the mesh leaves the series too.
 */
public final class MetricsEndpoint implements HttpSurface {

  private static final String OPENMETRICS = "application/openmetrics-text";
  // The formats the registry writes, as it names them.
  private static final String OPENMETRICS_1_0 = OPENMETRICS + "; version=1.0.0; charset=utf-8";
  private static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Supplier<List<TriggerStatus>> triggers;
  private final List<TriggerGauge> gauges = new ArrayList<>();
  // Held here: the registry holds a counter's source weakly.
  private final LongSupplier rejectedStateRecords;

  /** What the process knows of its triggers, and so which series it serves. */
  public enum Role {
    /** {@code fnmesh up}: every series. */
    WHOLE_MESH,
    /** A controller measures lag and decides replicas but runs none: no event counts. */
    CONTROLLER,
    /** A host runs replicas and counts their events; the lag is measured by the controller. */
    HOST
  }

  /**
   * @param registry the process's registry; the events of the triggers are counted there by their own meters
   * @param rejectedStateRecords how many state records read did not verify, since the process started
   */
  public MetricsEndpoint(PrometheusMeterRegistry registry, Supplier<List<TriggerStatus>> triggers, Role role,
      LongSupplier rejectedStateRecords) {
    this.registry = registry;
    this.triggers = triggers;
    this.rejectedStateRecords = rejectedStateRecords;
    gauge("fnmesh.trigger.replicas", role == Role.CONTROLLER ? "Replicas of the trigger given to the live hosts"
        : "Replicas of the trigger running in this process", TriggerStatus::replicas);
    gauge("fnmesh.trigger.desired.replicas", "Replicas the scaler last asked for", TriggerStatus::desiredReplicas);
    if (role != Role.HOST) {
      gauge("fnmesh.trigger.lag", "Events on the trigger's topic not yet committed by its group", TriggerStatus::lag);
    }
    if (role != Role.CONTROLLER) {
      gauge("fnmesh.trigger.stalled", "1 while a partition of the trigger is stopped on a reply or dead letter Kafka"
          + " refuses", status -> status.stalled() ? 1 : 0);
    }
    FunctionCounter.builder("fnmesh.state.rejected", rejectedStateRecords, LongSupplier::getAsLong)
        .description("State records ignored: not signed with the cluster key").register(registry);
  }

  @Override
  public void mount(Router router) {
    router.get("/metrics").handler(this::metrics);
  }

  @Override
  public String routes() {
    return "/metrics";
  }

  private void metrics(RoutingContext ctx) {
    List<TriggerStatus> all = triggers.get();
    gauges.forEach(gauge -> gauge.set(all));
    String accept = ctx.request().getHeader("accept");
    String contentType = accept != null && accept.contains(OPENMETRICS)
        ? OPENMETRICS_1_0 : TEXT_0_0_4;
    ctx.response().putHeader("content-type", contentType).end(registry.scrape(contentType));
  }

  private void gauge(String name, String help, ToLongFunction<TriggerStatus> value) {
    gauges.add(new TriggerGauge(MultiGauge.builder(name).description(help).register(registry), value));
  }

  /** One gauge with a series per trigger, replaced whole at each scrape. */
  private record TriggerGauge(MultiGauge gauge, ToLongFunction<TriggerStatus> value) {

    void set(List<TriggerStatus> all) {
      gauge.register(all.stream().map(status -> MultiGauge.Row.of(Tags.of("trigger", status.name()),
          value.applyAsLong(status))).toList(), true);
    }
  }
}
