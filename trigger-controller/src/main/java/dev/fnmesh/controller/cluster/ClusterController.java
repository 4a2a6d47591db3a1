package dev.fnmesh.controller.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.host.cluster.StateEntry;
import dev.fnmesh.host.cluster.StateLog;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlan.PlannedTrigger;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.host.runtime.TriggerStatus;
import dev.fnmesh.controller.scale.Autoscaler;
import dev.fnmesh.controller.scale.TriggerHolds;
import dev.fnmesh.host.runtime.ContextOwner;
import dev.fnmesh.host.runtime.MeshRuntime;
import dev.fnmesh.host.runtime.MeshTarget;
import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.controller.scale.LagMonitor;
import dev.fnmesh.host.TriggerStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The trigger controller of a mesh across processes. It writes the mesh to the state topic for the hosts
 * to run, scales every trigger by the lag of its consumer group and spreads its replicas over the hosts
 * that beat, moving the replicas of a host that stops beating to the others. It runs no replica itself.
 */
public final class ClusterController implements MeshTarget, TriggerHolds {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterController.class);
  private static final TriggerStats.Snapshot NOT_HERE = new TriggerStats.Snapshot(0, 0, 0, 0, 0);
  private static final Duration MESH_RETRY = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final ContextOwner owner;
  private final ClusterSettings settings;
  private final Clock clock;
  private final Path meshDirectory;
  private final StateLog log;
  private final ReplicaAssignments assignments;
  private final Autoscaler autoscaler;
  private final HostDirectory directory;
  // On the owner's context only.
  private MeshPlan plan;
  private StateEntry.MeshDocument latestDocument;
  private SortedSet<String> live = new TreeSet<>();
  private Map<String, Set<String>> failedOn = Map.of();
  private long timer = -1;
  // Written on the owner's context after every change, read anywhere: immutable.
  private volatile View view = new View(null, Map.of(), new TreeSet<>());

  /**
   * @param signatures signs what the controller writes to the state topic and checks what it reads there
   * @param meshDirectory the directory of the mesh file, which hosts resolve its relative paths against
   */
  public ClusterController(Vertx vertx, KafkaSettings kafka, ClusterSettings settings, StateSignatures signatures,
      EventPublisher publisher, KafkaClientMeters meters, LagMonitor monitor, Clock clock, Path meshDirectory) {
    this.vertx = vertx;
    this.owner = new ContextOwner(vertx);
    this.settings = settings;
    this.clock = clock;
    this.meshDirectory = meshDirectory;
    this.log = new StateLog(vertx, kafka, settings, signatures, "fnmesh-controller", publisher, meters,
        updates -> owner.run(() -> read(updates)));
    this.assignments = new ReplicaAssignments(log, owner);
    this.autoscaler = new Autoscaler(vertx, assignments, monitor, clock);
    this.directory = new HostDirectory(settings.hostTimeout());
  }

  /**
   * Reads the state topic: the replicas decided before (a restarted controller goes on from them) and the
   * hosts that beat.
   *
   * @return a future that completes once the state was read
   */
  public Future<Void> start() {
    return log.start().compose(v -> owner.call(() -> {
      directory.heard(clock.instant());
      checkHosts();
      timer = vertx.setPeriodic(settings.beatInterval().toMillis(), id -> owner.run(() -> {
        checkHosts();
        assignments.retryUnwritten();
      }));
      return Future.<Void>succeededFuture();
    }));
  }

  @Override
  public Future<Void> run(MeshRuntime.Applied mesh) {
    return owner.call(() -> {
      MeshPlan next = mesh.plan();
      StateEntry.MeshDocument document = new StateEntry.MeshDocument(mesh.text(), mesh.source(),
          meshDirectory.toString());
      latestDocument = document;
      plan = next;
      publish();
      autoscaler.replace(next);
      // The mesh is what runs from now on; a failed write is repeated until the hosts can read it.
      return Future.all(write(document), assignments.retain(next.triggers().keySet())).mapEmpty();
    });
  }

  private Future<Void> write(StateEntry.MeshDocument document) {
    return log.write(document).onFailure(e -> {
      LOG.warn("mesh not written to the state topic, trying again in {} ms cause={}", MESH_RETRY.toMillis(), e.getMessage());
      vertx.setTimer(MESH_RETRY.toMillis(), id -> owner.run(() -> {
        if (latestDocument == document) {
          write(document);
        }
      }));
    });
  }

  @Override
  public List<TriggerStatus> triggers() {
    View current = view;
    if (current.plan() == null) {
      return List.of();
    }
    Map<String, StateEntry.HostBeat> reports = current.reports();
    List<TriggerStatus> all = new ArrayList<>();
    for (PlannedTrigger trigger : current.plan().triggers().values()) {
      TriggerSpec spec = trigger.spec();
      TriggerConditions conditions = TriggerConditions.of(spec.name(), reports.values());
      ScalingStatus scaling = autoscaler.status(spec.name())
          .orElse(ScalingStatus.unmeasured(assignments.replicas(spec.name()))).withHosts(assignments.placement(spec.name()));
      all.add(new TriggerStatus(spec.name(), spec.kind(), spec.topic(), spec.function(), spec.replyTopics(),
          conditions.state(), conditions.error(), conditions.running(), NOT_HERE, scaling, conditions.warnings(),
          spec.step()));
    }
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  /** Keeps the trigger at zero replicas on every host: what moving its group's offsets needs. */
  @Override
  public Future<Void> hold(String trigger, String reason) {
    return autoscaler.hold(trigger, reason);
  }

  @Override
  public void release(String trigger) {
    autoscaler.release(trigger);
  }

  /** The hosts beating now, by id. */
  public SortedSet<String> hosts() {
    return view.hosts();
  }

  /** Stops scaling and reading the state topic. */
  @Override
  public Future<Void> stop() {
    return owner.call(() -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      return autoscaler.stop();
    }).eventually(() -> vertx.executeBlocking(() -> {
      // Joins the reader thread: off any event loop.
      log.close();
      return null;
    }, false)).mapEmpty();
  }

  private void read(List<StateLog.Update> updates) {
    directory.heard(clock.instant());
    boolean hostsMayHaveChanged = false;
    for (StateLog.Update update : updates) {
      StateEntry entry = update.entry();
      if (entry instanceof StateEntry.HostBeat beat) {
        // Beats read at start are as old as their records; beats read since then are fresh.
        directory.report(beat, update.live() ? clock.instant() : update.timestamp());
        hostsMayHaveChanged |= update.live();
      } else if (entry instanceof StateEntry.Removed removed && removed.key().startsWith(StateEntry.HOST_PREFIX)) {
        String host = removed.key().substring(StateEntry.HOST_PREFIX.length());
        directory.gone(host);
        hostsMayHaveChanged |= update.live();
      } else if (entry instanceof StateEntry.Wake wake && update.live()) {
        autoscaler.published(wake.topic());
      } else if (!update.live() && entry instanceof StateEntry.Assignment assignment) {
        assignments.restore(assignment);
      } else if (!update.live() && entry instanceof StateEntry.Removed removed
          && removed.key().startsWith(StateEntry.REPLICAS_PREFIX)) {
        assignments.forget(removed.key().substring(StateEntry.REPLICAS_PREFIX.length()));
      }
    }
    if (hostsMayHaveChanged) {
      checkHosts();
    }
    publish();
  }

  private void checkHosts() {
    Instant at = clock.instant();
    SortedSet<String> now = directory.live(at);
    Map<String, Set<String>> failed = directory.failures(at);
    List<String> left = new ArrayList<>();
    // Run for every beat read: cheap, and nothing is done unless the hosts or their failures changed.
    if (now.equals(live) && failed.equals(failedOn)) {
      return;
    }
    for (String host : live) {
      if (!now.contains(host)) {
        left.add(host);
      }
    }
    for (String host : now) {
      if (!live.contains(host)) {
        LOG.info("host joined host={} hosts={}", host, now);
      }
    }
    if (!failed.equals(failedOn)) {
      LOG.info("triggers failing on hosts failed={}", failed);
    }
    live = now;
    failedOn = failed;
    publish();
    // The silent host's beat record stays: read by a restarted controller, it is too old to count.
    for (String host : left) {
      LOG.info("host left host={} hosts={}", host, now);
    }
    assignments.hostsChanged(now, failed).onFailure(e -> LOG.warn("replicas not moved hosts={} cause={}", now,
        e.getMessage()));
  }

  private void publish() {
    view = new View(plan, Map.copyOf(directory.reports(clock.instant())),
        Collections.unmodifiableSortedSet(new TreeSet<>(live)));
  }

  /** What other threads read of the controller: the mesh, what the live hosts report, the live hosts. */
  private record View(MeshPlan plan, Map<String, StateEntry.HostBeat> reports, SortedSet<String> hosts) {}
}
