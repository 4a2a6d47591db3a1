package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.HttpSurface;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics} in the Prometheus text exposition format (version 0.0.4): per trigger its replicas,
 * desired replicas, lag, event counts and whether it stalled, and the state records this process ignored
 * for want of a valid signature. Written by hand: a few gauges and counters need no registry.
 */
public final class MetricsEndpoint implements HttpSurface {

  private final Supplier<List<TriggerStatus>> triggers;
  private final Role role;
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

  /** @param rejectedStateRecords how many state records read did not verify, since the process started */
  public MetricsEndpoint(Supplier<List<TriggerStatus>> triggers, Role role, LongSupplier rejectedStateRecords) {
    this.triggers = triggers;
    this.role = role;
    this.rejectedStateRecords = rejectedStateRecords;
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
    StringBuilder text = new StringBuilder(1024);
    gauge(text, all, "fnmesh_trigger_replicas", role == Role.CONTROLLER
        ? "Replicas of the trigger given to the live hosts" : "Replicas of the trigger running in this process", s -> s.replicas());
    gauge(text, all, "fnmesh_trigger_desired_replicas", "Replicas the scaler last asked for", s -> s.desiredReplicas());
    if (role != Role.HOST) {
      gauge(text, all, "fnmesh_trigger_lag", "Events on the trigger's topic not yet committed by its group", s -> s.lag());
    }
    if (role != Role.CONTROLLER) {
      gauge(text, all, "fnmesh_trigger_stalled", "1 while a partition of the trigger is stopped on a reply or dead"
          + " letter Kafka refuses", s -> s.stalled() ? 1 : 0);
      text.append("# HELP fnmesh_trigger_events_total Events of the trigger by what happened to them\n")
          .append("# TYPE fnmesh_trigger_events_total counter\n");
      for (TriggerStatus status : all) {
        var stats = status.stats();
        counter(text, status.name(), "received", stats.received());
        counter(text, status.name(), "succeeded", stats.succeeded());
        counter(text, status.name(), "filtered", stats.filtered());
        counter(text, status.name(), "retried", stats.retried());
        counter(text, status.name(), "dead_lettered", stats.deadLettered());
      }
    }
    text.append("# HELP fnmesh_state_rejected_total State records ignored: not signed with the cluster key\n")
        .append("# TYPE fnmesh_state_rejected_total counter\n")
        .append("fnmesh_state_rejected_total ").append(rejectedStateRecords.getAsLong()).append('\n');
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text.toString());
  }

  private static void gauge(StringBuilder text, List<TriggerStatus> all, String name, String help,
      ToLongFunction<TriggerStatus> value) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n");
    for (TriggerStatus status : all) {
      text.append(name).append("{trigger=\"").append(status.name()).append("\"} ")
          .append(value.applyAsLong(status)).append('\n');
    }
  }

  private static void counter(StringBuilder text, String trigger, String outcome, long value) {
    text.append("fnmesh_trigger_events_total{trigger=\"").append(trigger).append("\",outcome=\"").append(outcome)
        .append("\"} ").append(value).append('\n');
  }
}
