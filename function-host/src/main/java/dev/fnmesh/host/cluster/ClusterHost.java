package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.host.runtime.ContextOwner;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.ReplicaScaling;
import dev.fnmesh.host.runtime.ScalingStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A function host of a mesh across processes: it runs the mesh the controller wrote to the state topic
 * and, of every trigger, the replicas the controller gave it; it beats so that the controller counts it
 * among the live hosts and knows what runs on it and what could not start there, and says when events
 * reach a topic whose triggers sleep. Its state lives on one Vert.x context and is changed only there;
 * what other threads read (the shares, for a trigger's status and start) is a snapshot it publishes.
 */
public final class ClusterHost implements ReplicaScaling {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterHost.class);
  private static final long WAKE_EVERY_MS = 200;

  private final Vertx vertx;
  private final ContextOwner owner;
  private final ClusterSettings settings;
  private final String hostId;
  private final StateLog log;
  // On the owner's context only.
  private final Map<String, StateEntry.Assignment> shares = new HashMap<>();
  private final Map<String, Long> wokenAt = new HashMap<>();
  private final HostReport report;
  private MeshReconciler local;
  private HostMesh mesh;
  private MeshPlan plan;
  private boolean stopping;
  private Future<Void> stopped;
  private long timer = -1;
  // Written on the owner's context after every change of the shares, read anywhere: immutable.
  private volatile Map<String, StateEntry.Assignment> publishedShares = Map.of();

  /**
   * @param signatures signs what this host writes to the state topic and checks what it reads there
   * @param hostId this host's id, unique among the hosts of the mesh
   * @param httpAddress where this host serves HTTP, written with its beats for people reading the state
   */
  public ClusterHost(Vertx vertx, KafkaSettings kafka, ClusterSettings settings, StateSignatures signatures,
      EventPublisher publisher, KafkaClientMeters meters, String hostId, String httpAddress) {
    this.vertx = vertx;
    this.owner = new ContextOwner(vertx);
    this.settings = settings;
    this.hostId = hostId;
    this.report = new HostReport(hostId, httpAddress);
    this.log = new StateLog(vertx, kafka, settings, signatures, "fnmesh-host-" + hostId, publisher, meters,
        updates -> owner.run(() -> read(updates)));
  }

  public String hostId() {
    return hostId;
  }

  /** The replicas of the trigger this host runs as the controller last decided; for a trigger that starts. */
  public int initialReplicas(PlannedTrigger trigger) {
    StateEntry.Assignment assignment = publishedShares.get(trigger.spec().name());
    return assignment == null ? 0 : assignment.share(hostId);
  }

  /**
   * Follows the state topic: runs the mesh written there through {@code applyMesh}, this host's share of
   * each trigger's replicas through {@code local}, and beats.
   *
   * @return a future that completes once the state found on the topic is applied and the first beat written
   */
  public Future<Void> start(MeshReconciler local, Function<StateEntry.MeshDocument, Future<Void>> applyMesh) {
    return owner.call(() -> {
      this.local = local;
      this.mesh = new HostMesh(owner, applyMesh, this::followAll);
      return log.start();
    }).compose(v -> owner.call(() -> mesh.lastApply()))
        .compose(v -> owner.call(this::beat))
        .compose(v -> owner.call(() -> {
          if (!stopping) {
            timer = vertx.setPeriodic(settings.beatInterval().toMillis(), id -> owner.run(() -> {
              beat();
              mesh.beat();
              // Level-triggered: a share that could not be applied when it arrived (its trigger was
              // starting again) is applied now.
              followAll();
            }));
          }
          return Future.<Void>succeededFuture();
        }));
  }

  /** An ingress accepted events for the topic: if its triggers run no replica anywhere, ask the controller to wake them. */
  public void published(String topic) {
    owner.run(() -> {
      if (plan == null || stopping) {
        return;
      }
      boolean asleep = plan.triggers().values().stream()
          .anyMatch(trigger -> trigger.spec().topic().equals(topic) && trigger.spec().scale().activationLagThreshold() == 0
              && desired(trigger.spec().name()) == 0);
      long now = System.nanoTime();
      Long last = wokenAt.get(topic);
      if (asleep && (last == null || now - last >= TimeUnit.MILLISECONDS.toNanos(WAKE_EVERY_MS))) {
        wokenAt.put(topic, now);
        log.write(new StateEntry.Wake(topic)).onFailure(e -> LOG.debug("wake not written topic={} cause={}", topic, e.getMessage()));
      }
    });
  }

  @Override
  public void replace(MeshPlan next) {
    owner.run(() -> plan = next);
  }

  @Override
  public Optional<ScalingStatus> status(String trigger) {
    return Optional.ofNullable(publishedShares.get(trigger)).map(a -> new ScalingStatus(a.desired(), 0, Map.of(),
        Optional.of(a.reason()), Optional.empty(), a.hosts()));
  }

  /**
   * Says goodbye on the state topic, so that the controller moves this host's replicas at once, and stops
   * reading. On the owner's context no beat can follow the goodbye.
   *
   * @return a future that completes once the goodbye was written (or could not be, within 5 s) and the
   *     reader stopped
   */
  @Override
  public Future<Void> stop() {
    return owner.call(() -> {
      if (stopped == null) {
        stopped = leave();
      }
      return stopped;
    });
  }

  private Future<Void> leave() {
    stopping = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return log.write(new StateEntry.Removed(StateEntry.HOST_PREFIX + hostId))
        .timeout(5, TimeUnit.SECONDS)
        .onFailure(e -> LOG.warn("goodbye not written host={} cause={}", hostId, e.getMessage()))
        .otherwiseEmpty()
        .eventually(() -> vertx.executeBlocking(() -> {
          // Joins the reader thread: off any event loop.
          log.close();
          return null;
        }, false))
        .mapEmpty();
  }

  private Future<Void> beat() {
    if (stopping) {
      return Future.succeededFuture();
    }
    return log.write(report.beat(local.status(), mesh.failures(), System.nanoTime()))
        .onFailure(e -> LOG.warn("beat not written host={} cause={}", hostId, e.getMessage()));
  }

  private void read(List<StateLog.Update> updates) {
    for (StateLog.Update update : updates) {
      StateEntry entry = update.entry();
      if (entry instanceof StateEntry.MeshDocument document) {
        mesh.read(document);
      } else if (entry instanceof StateEntry.Assignment assignment) {
        shares.put(assignment.trigger(), assignment);
        publishedShares = Map.copyOf(shares);
        follow(assignment.trigger());
      } else if (entry instanceof StateEntry.Removed removed && removed.key().startsWith(StateEntry.REPLICAS_PREFIX)) {
        String trigger = removed.key().substring(StateEntry.REPLICAS_PREFIX.length());
        shares.remove(trigger);
        publishedShares = Map.copyOf(shares);
        follow(trigger);
      }
    }
  }

  private void followAll() {
    if (plan != null) {
      plan.triggers().keySet().forEach(this::follow);
    }
  }

  private void follow(String trigger) {
    int share = share(trigger);
    if (local.replicas(trigger) != share) {
      // Fails for a trigger that does not run here (yet): it starts with its share.
      local.scale(trigger, share).onFailure(e -> LOG.debug("share not applied trigger={} cause={}", trigger, e.getMessage()));
    }
  }

  private int share(String trigger) {
    StateEntry.Assignment assignment = shares.get(trigger);
    return assignment == null ? 0 : assignment.share(hostId);
  }

  private int desired(String trigger) {
    StateEntry.Assignment assignment = shares.get(trigger);
    return assignment == null ? 0 : assignment.desired();
  }
}
