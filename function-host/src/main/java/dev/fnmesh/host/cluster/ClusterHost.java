package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.ReplicaScaling;
import dev.fnmesh.host.runtime.ContextOwner;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
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
  private static final int REPLAN_BEATS = 10;

  private final Vertx vertx;
  private final ContextOwner owner;
  private final ClusterSettings settings;
  private final String hostId;
  private final StateLog log;
  private final MeshLoader loader = new MeshLoader();
  // On the owner's context only.
  private final Map<String, StateEntry.Assignment> shares = new HashMap<>();
  private final Map<String, Long> wokenAt = new HashMap<>();
  private final HostReport report;
  private MeshReconciler local;
  private Function<StateEntry.MeshDocument, Future<Void>> applyMesh;
  private MeshPlan plan;
  private Map<String, String> meshFailures = Map.of();
  private StateEntry.MeshDocument latest;
  private StateEntry.MeshDocument applied;
  private StateEntry.MeshDocument unplanned;
  private int beatsSinceApply;
  private Future<Void> lastApply = Future.succeededFuture();
  private boolean stopping;
  private Future<Void> stopped;
  private long timer = -1;
  // Written on the owner's context after every change of the shares, read anywhere: immutable.
  private volatile Map<String, StateEntry.Assignment> publishedShares = Map.of();

  /**
   * @param hostId this host's id, unique among the hosts of the mesh
   * @param httpAddress where this host serves HTTP, written with its beats for people reading the state
   */
  public ClusterHost(Vertx vertx, KafkaSettings kafka, ClusterSettings settings, EventPublisher publisher, String hostId,
      String httpAddress) {
    this.vertx = vertx;
    this.owner = new ContextOwner(vertx);
    this.settings = settings;
    this.hostId = hostId;
    this.report = new HostReport(hostId, httpAddress);
    this.log = new StateLog(vertx, kafka, settings, "fnmesh-host-" + hostId, publisher,
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
      this.applyMesh = applyMesh;
      return log.start();
    }).compose(v -> owner.call(() -> lastApply))
        .compose(v -> owner.call(this::beat))
        .compose(v -> owner.call(() -> {
          if (!stopping) {
            timer = vertx.setPeriodic(settings.beatInterval().toMillis(), id -> owner.run(() -> {
              beat();
              retryUnplanned();
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
    return log.write(report.beat(local.status(), meshFailures, System.nanoTime()))
        .onFailure(e -> LOG.warn("beat not written host={} cause={}", hostId, e.getMessage()));
  }

  private void read(List<StateLog.Update> updates) {
    for (StateLog.Update update : updates) {
      StateEntry entry = update.entry();
      if (entry instanceof StateEntry.MeshDocument mesh) {
        latest = mesh;
        // A mesh read again (the reader started over, or the controller wrote it again) is not planned again.
        if (!mesh.equals(applied)) {
          apply(mesh);
        }
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

  private void apply(StateEntry.MeshDocument mesh) {
    applied = mesh;
    // A trigger that started while its share changed may have missed it: every share is applied again.
    lastApply = lastApply.transform(previous -> applyMesh.apply(mesh))
        .transform(done -> owner.call(() -> {
          // Only a mesh this host cannot plan fails its triggers here; a trigger that failed to start
          // reports that itself.
          boolean unplannable = done.failed() && done.cause() instanceof MeshException refused
              && refused.kind() == MeshException.Kind.CANNOT_RUN_HERE;
          meshFailures = unplannable ? failures(mesh, done.cause()) : Map.of();
          unplanned = unplannable ? mesh : null;
          beatsSinceApply = 0;
          if (done.failed()) {
            LOG.error("mesh from the controller not run here source={} cause={}", mesh.source(), done.cause().getMessage());
          }
          followAll();
          return Future.<Void>succeededFuture();
        }));
  }

  // A mesh this host cannot run (a jar or a schema it lacks) fails every trigger of it here, so that the
  // controller gives their replicas to hosts that can run them.
  private Map<String, String> failures(StateEntry.MeshDocument mesh, Throwable cause) {
    Map<String, String> failed = new HashMap<>();
    try {
      loader.parse(mesh.text(), mesh.source()).triggers().keySet()
          .forEach(trigger -> failed.put(trigger, "the mesh cannot run on this host: " + cause.getMessage()));
    } catch (RuntimeException unreadable) {
      LOG.warn("mesh from the controller not readable here cause={}", unreadable.getMessage());
    }
    return failed;
  }

  // A mesh that could not be planned here (a jar not yet installed) is tried again now and then.
  private void retryUnplanned() {
    StateEntry.MeshDocument mesh = unplanned;
    if (mesh != null && mesh == latest && ++beatsSinceApply >= REPLAN_BEATS) {
      beatsSinceApply = 0;
      apply(mesh);
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
