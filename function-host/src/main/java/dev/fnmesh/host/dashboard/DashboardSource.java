package dev.fnmesh.host.dashboard;

import dev.fnmesh.host.runtime.MeshApi;
import dev.fnmesh.host.runtime.TriggerStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the dashboard of one process shows: its triggers as {@code GET /api/triggers} answers them and, on a
 * controller, its hosts as {@code GET /api/hosts} does. Both suppliers return the immutable snapshots their
 * owners publish, so a snapshot is taken from any thread without blocking.
 *
 * @param role which kind of process this is, so the page says what it cannot show there
 * @param triggers the triggers' status
 * @param hosts the live hosts, on a controller; empty elsewhere
 */
public record DashboardSource(Role role, Supplier<List<TriggerStatus>> triggers,
    Optional<Supplier<? extends Collection<String>>> hosts) {

  /** The kinds of process that serve a dashboard. */
  public enum Role {
    /** {@code fnmesh up}: measures lag and runs replicas. */
    MESH,
    /** {@code fnmesh host}: runs replicas and counts their events; the controller measures the lag. */
    HOST,
    /** {@code fnmesh controller}: measures lag and places replicas on hosts, runs none, counts no events. */
    CONTROLLER
  }

  public DashboardSource {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(triggers, "triggers");
    Objects.requireNonNull(hosts, "hosts");
  }

  /** A process without hosts of its own to show. */
  public DashboardSource(Role role, Supplier<List<TriggerStatus>> triggers) {
    this(role, triggers, Optional.empty());
  }

  /** One snapshot, as the stream sends it. */
  public JsonObject snapshot(Instant at) {
    JsonObject snapshot = new JsonObject().put("role", role.name().toLowerCase(Locale.ROOT)).put("at", at.toString())
        .put("triggers", MeshApi.triggersJson(triggers.get()));
    hosts.ifPresent(live -> snapshot.put("hosts", new JsonArray(List.copyOf(live.get()))));
    return snapshot;
  }
}
