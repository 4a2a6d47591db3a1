package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.TriggerStatus;
import dev.fnmesh.host.runtime.ReplicaScaling;
import dev.fnmesh.mesh.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A function host of a mesh across processes: it runs the mesh the controller wrote to the state topic
 * and, of every trigger, the replicas the controller gave it; it beats so that the controller counts it
 * among the live hosts and knows what runs on it and what could not start there, and says when events
 * reach a topic whose triggers sleep.
 */
public final class ClusterHost implements ReplicaScaling {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterHost.class);
  private static final long WAKE_EVERY_MS = 200;
  private static final int REPLAN_BEATS = 10;
  private static final long FAILURE_KEPT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Vertx vertx;
  private final ClusterSettings settings;
  private final String hostId;
  private final String httpAddress;
  private final StateLog log;
  private final Map<String, StateEntry.Assignment> shares = new ConcurrentHashMap<>();
  private final Map<String, Long> wokenAt = new ConcurrentHashMap<>();
  private volatile MeshReconciler local;
  private volatile Function<StateEntry.MeshDocument, Future<Void>> applyMesh;
  private volatile MeshPlan plan;
  private volatile Map<String, String> meshFailures = Map.of();
  // Failures are reported until the trigger runs a replica here again or for FAILURE_KEPT: a retry that
  // starts no replica (its share is 0 because it failed) proves nothing, and after a while the
  // controller may try this host again.
  private final Map<String, Failure> failedHere = new ConcurrentHashMap<>();
  private volatile StateEntry.MeshDocument latest;
  private final MeshLoader loader = new MeshLoader();
  private volatile StateEntry.MeshDocument unplanned;
  private int beatsSinceApply;
  private Future<Void> lastApply = Future.succeededFuture();
  private final Object beats = new Object();
  private boolean stopping;
  private long timer = -1;

  /**
   * @param hostId this host's id, unique among the hosts of the mesh
   * @param httpAddress where this host serves HTTP, written with its beats for people reading the state
   */
  public ClusterHost(Vertx vertx, KafkaSettings kafka, ClusterSettings settings, EventPublisher publisher, String hostId,
      String httpAddress) {
    this.vertx = vertx;
    this.settings = settings;
    this.hostId = hostId;
    this.httpAddress = httpAddress;
    this.log = new StateLog(vertx, kafka, settings, "fnmesh-host-" + hostId, publisher, this::read);
  }

  public String hostId() {
    return hostId;
  }

  /** The replicas of the trigger this host runs as the controller last decided; for a trigger that starts. */
  public int initialReplicas(PlannedTrigger trigger) {
    return share(trigger.spec().name());
  }

  /**
   * Follows the state topic: runs the mesh written there through {@code applyMesh}, this host's share of
   * each trigger's replicas through {@code local}, and beats.
   *
   * @return a future that completes once the state found on the topic is applied and the first beat written
   */
  public Future<Void> start(MeshReconciler local, Function<StateEntry.MeshDocument, Future<Void>> applyMesh) {
    this.local = local;
    this.applyMesh = applyMesh;
    return log.start()
        .compose(v -> lastApply())
        .compose(v -> beat())
        .onSuccess(v -> {
          synchronized (beats) {
            if (!stopping) {
              timer = vertx.setPeriodic(settings.beatInterval().toMillis(), id -> {
                beat();
                retryUnplanned();
                // Level-triggered: a share that could not be applied when it arrived (its trigger was
                // starting again) is applied now.
                followAll();
              });
            }
          }
        });
  }

  /** An ingress accepted events for the topic: if its triggers run no replica anywhere, ask the controller to wake them. */
  public void published(String topic) {
    MeshPlan current = plan;
    if (current == null) {
      return;
    }
    boolean asleep = current.triggers().values().stream()
        .anyMatch(trigger -> trigger.spec().topic().equals(topic) && trigger.spec().scale().activationLagThreshold() == 0
            && desired(trigger.spec().name()) == 0);
    long now = System.nanoTime();
    if (asleep && wokenAt.compute(topic, (t, last) -> last == null || now - last >= TimeUnit.MILLISECONDS.toNanos(WAKE_EVERY_MS)
        ? now : last) == now) {
      log.write(new StateEntry.Wake(topic)).onFailure(e -> LOG.debug("wake not written topic={} cause={}", topic, e.getMessage()));
    }
  }

  @Override
  public void replace(MeshPlan next) {
    plan = next;
  }

  @Override
  public Optional<ScalingStatus> status(String trigger) {
    StateEntry.Assignment assignment = shares.get(trigger);
    return Optional.ofNullable(assignment).map(a -> new ScalingStatus(a.desired(), 0, Map.of(),
        Optional.of(a.reason()), Optional.empty(), a.hosts()));
  }

  /** Says goodbye on the state topic, so that the controller moves this host's replicas at once, and stops reading. */
  @Override
  public void stop() {
    Future<Void> goodbye;
    synchronized (beats) {
      stopping = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      goodbye = log.write(new StateEntry.Removed(StateEntry.HOST_PREFIX + hostId));
    }
    try {
      goodbye.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("goodbye not written host={} cause={}", hostId, e.getMessage());
    }
    log.close();
  }

  private synchronized Future<Void> lastApply() {
    return lastApply;
  }

  private Future<Void> beat() {
    // Under the lock that the goodbye takes, so that no beat can follow the goodbye on the topic.
    synchronized (beats) {
      if (stopping) {
        return Future.succeededFuture();
      }
      Map<String, Integer> running = new HashMap<>();
      Map<String, String> failed = new HashMap<>();
      long now = System.nanoTime();
      List<TriggerStatus> triggers = local.status();
      failedHere.keySet().retainAll(triggers.stream().map(TriggerStatus::name).toList());
      for (TriggerStatus trigger : triggers) {
        if (trigger.replicas() > 0) {
          running.put(trigger.name(), trigger.replicas());
        }
        if (trigger.error().isPresent()) {
          failedHere.put(trigger.name(), new Failure(trigger.error().get(), now));
        } else if (trigger.replicas() > 0) {
          failedHere.remove(trigger.name());
        }
      }
      failedHere.values().removeIf(failure -> now - failure.atNanos() > FAILURE_KEPT_NANOS);
      failedHere.forEach((trigger, failure) -> failed.put(trigger, failure.reason()));
      failed.putAll(meshFailures);
      return log.write(new StateEntry.HostBeat(hostId, httpAddress, running, failed))
          .onFailure(e -> LOG.warn("beat not written host={} cause={}", hostId, e.getMessage()));
    }
  }

  private void read(List<StateLog.Update> updates) {
    for (StateLog.Update update : updates) {
      StateEntry entry = update.entry();
      if (entry instanceof StateEntry.MeshDocument mesh) {
        latest = mesh;
        apply(mesh);
      } else if (entry instanceof StateEntry.Assignment assignment) {
        shares.put(assignment.trigger(), assignment);
        follow(assignment.trigger());
      } else if (entry instanceof StateEntry.Removed removed && removed.key().startsWith(StateEntry.REPLICAS_PREFIX)) {
        String trigger = removed.key().substring(StateEntry.REPLICAS_PREFIX.length());
        shares.remove(trigger);
        follow(trigger);
      }
    }
  }

  private synchronized void apply(StateEntry.MeshDocument mesh) {
    // A trigger that started while its share changed may have missed it: every share is applied again.
    lastApply = applyMesh.apply(mesh)
        .onComplete(done -> {
          // Only a mesh this host cannot plan fails its triggers here; a trigger that failed to start
          // reports that itself.
          boolean unplannable = done.failed() && (done.cause() instanceof IllegalArgumentException);
          meshFailures = unplannable ? failures(mesh, done.cause()) : Map.of();
          unplanned = unplannable ? mesh : null;
          beatsSinceApply = 0;
        })
        .onFailure(e -> LOG.error("mesh from the controller not run here source={} cause={}", mesh.source(), e.getMessage()))
        .transform(done -> {
          followAll();
          return Future.<Void>succeededFuture();
        });
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
    MeshPlan current = plan;
    if (current != null) {
      current.triggers().keySet().forEach(this::follow);
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

  private record Failure(String reason, long atNanos) {}
}
