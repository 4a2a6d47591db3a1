package dev.fnmesh.controller.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.controller.TestPlans;
import dev.fnmesh.controller.scale.LagMonitor;
import dev.fnmesh.host.cluster.ClusterHost;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.host.cluster.StateEntry;
import dev.fnmesh.host.cluster.StateLog;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.MeshRuntime;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.host.runtime.TriggerStatus;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller of a mesh across processes against a real state topic: it reads the hosts' beats, writes
 * its replica decisions spread over the live hosts, moves replicas at once on a goodbye and after the host
 * timeout from a silent host, and its mesh reaches the hosts. The hosts are beats the test writes, except
 * where a real {@link ClusterHost} shows the mesh arriving.
 */
@ExtendWith(KafkaFixture.class)
class ClusterControllerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration BEAT = Duration.ofMillis(300);
  private static final Path MESH_DIRECTORY = Path.of("/meshes");
  // The controller and the hosts of one mesh share its key.
  private static final StateSignatures SIGNATURES = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "the test"));

  private final Vertx vertx = Vertx.vertx();
  private final KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
  private final EventPublisher publisher = EventPublisher.create(vertx, kafka);
  private final Admin admin = Admin.create(kafka.adminConfig("cluster-controller-it"));
  private final List<AutoCloseable> running = new ArrayList<>();
  private final List<StateLog.Update> read = new CopyOnWriteArrayList<>();
  private final Set<String> beating = ConcurrentHashMap.newKeySet();
  private final String topic = KafkaFixture.uniqueTopic("controlled");
  private final String trigger = "work-" + topic;
  private final String mesh = TestPlans.oneTrigger(trigger, topic, 2, "{ min: 2, max: 2, pollInterval: PT0.2S }");
  private ClusterController controller;
  private StateLog hostsSide;

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    publisher.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    admin.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theControllerReadsTheHostsBeatsAndSpreadsATriggersReplicasOverThem() throws Exception {
    start(Duration.ofMinutes(5));
    beat("first", "second");

    await().atMost(WAIT).until(() -> placement().equals(Map.of("first", 1, "second", 1)));
    await().atMost(WAIT).until(() -> controller.hosts().equals(Set.of("first", "second")));
    // What runs is what the hosts' beats say runs on them.
    await().atMost(WAIT).until(() -> status().replicas() == 2);
    assertEquals(Map.of("first", 1, "second", 1), status().scaling().hosts());
    assertEquals(2, status().desiredReplicas());
  }

  @Test
  void aHostsGoodbyeMovesItsReplicasToTheOthersAtOnce() throws Exception {
    // Far longer than the wait: only the goodbye can move the replicas in time.
    start(Duration.ofMinutes(5));
    beat("first", "second");
    await().atMost(WAIT).until(() -> placement().equals(Map.of("first", 1, "second", 1)));

    beating.remove("second");
    join(hostsSide.write(new StateEntry.Removed(StateEntry.HOST_PREFIX + "second")));

    await().atMost(WAIT).until(() -> placement().equals(Map.of("first", 2)));
    assertEquals(Set.of("first"), controller.hosts());
  }

  @Test
  void aSilentHostIsEvictedOnceTheHostTimeoutPassedAndNotBefore() throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    start(timeout);
    beat("first", "second");
    await().atMost(WAIT).until(() -> placement().equals(Map.of("first", 1, "second", 1)));

    beating.remove("second");
    long silent = System.nanoTime();
    await().atMost(WAIT).until(() -> placement().equals(Map.of("first", 2)));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silent);

    // Its last beat may have been read up to one beat interval before it fell silent.
    assertTrue(tookMs >= timeout.minus(BEAT).toMillis(), "evicted " + tookMs + " ms after it fell silent");
    assertEquals(Set.of("first"), controller.hosts());
  }

  @Test
  void theControllersMeshAndDecisionsReachAHost() throws Exception {
    start(Duration.ofMinutes(5));
    List<StateEntry.MeshDocument> meshesRun = new CopyOnWriteArrayList<>();
    ClusterHost host = new ClusterHost(vertx, kafka, settings(Duration.ofMinutes(5)), SIGNATURES, publisher,
        KafkaClientMeters.none(), "only",
        "http://only:8080");
    running.add(host::stop);
    join(host.start(new NothingRuns(), document -> {
      meshesRun.add(document);
      host.replace(TestPlans.plan(vertx, document.text()));
      return Future.succeededFuture();
    }));

    await().atMost(WAIT).until(() -> !meshesRun.isEmpty());
    assertEquals(new StateEntry.MeshDocument(mesh, "mesh.yaml", MESH_DIRECTORY.toString()), meshesRun.get(0));
    await().atMost(WAIT).until(() -> controller.hosts().equals(Set.of("only")));
    await().atMost(WAIT).until(() -> host.status(trigger).map(s -> s.hosts().equals(Map.of("only", 2))).orElse(false));
    assertEquals(2, host.status(trigger).orElseThrow().desiredReplicas());
  }

  @Test
  void theControllerShowsATriggerStalledOnAHostWithTheHostsReasonAndItsTopicWarnings() throws Exception {
    start(Duration.ofMinutes(5));
    String reason = "partition " + topic + "-0: reply of 2000000 bytes over the reply topic's max.message.bytes";
    String warning = "topic " + topic + " has 1 replica, fewer than the 3 asked";
    TriggerStatus stalled = new TriggerStatus(trigger, "kafka", topic, "echo", java.util.List.of(), TriggerHealth.STALLED,
        Optional.of(reason), 1, new TriggerStats.Snapshot(0, 0, 0, 0, 0), ScalingStatus.unmeasured(1), List.of(warning),
        Optional.empty());
    ClusterHost host = new ClusterHost(vertx, kafka, settings(Duration.ofMinutes(5)), SIGNATURES, publisher,
        KafkaClientMeters.none(), "only",
        "http://only:8080");
    running.add(host::stop);
    join(host.start(new Reporting(stalled), document -> Future.succeededFuture()));

    await().atMost(WAIT).until(() -> status().state().equals(TriggerHealth.STALLED));
    assertEquals(Optional.of("host only: " + reason), status().error());
    assertEquals(List.of(warning), status().warnings());
    assertEquals(1, status().replicas());
  }

  private void start(Duration hostTimeout) throws Exception {
    ClusterSettings settings = settings(hostTimeout);
    KafkaFixture.createTopic(topic, 2);
    controller = new ClusterController(vertx, kafka, settings, SIGNATURES, publisher,
        KafkaClientMeters.none(), new LagMonitor(vertx, admin),
        Clock.systemUTC(), MESH_DIRECTORY);
    running.add(() -> join(controller.stop()));
    join(controller.start());
    hostsSide = new StateLog(vertx, kafka, settings, SIGNATURES, "cluster-controller-it-hosts", publisher,
        KafkaClientMeters.none(), read::addAll);
    running.add(hostsSide);
    join(hostsSide.start());
    MeshRuntime runtime = new MeshRuntime(vertx, new MeshLoader(), TestPlans.planner(vertx), controller);
    join(runtime.apply(mesh, "mesh.yaml"));
  }

  private ClusterSettings settings(Duration hostTimeout) {
    return new ClusterSettings(topic + ".state", BEAT, hostTimeout);
  }

  /** The hosts beat every beat interval from now on, each saying it runs what the controller gave it. */
  private void beat(String... hosts) {
    beating.addAll(List.of(hosts));
    long timer = vertx.setPeriodic(1, BEAT.toMillis(), id -> beating.forEach(host -> {
      Integer share = placement().get(host);
      hostsSide.write(new StateEntry.HostBeat(host, "http://" + host + ":8080",
          share == null ? Map.of() : Map.of(trigger, share), Map.of()));
    }));
    running.add(() -> vertx.cancelTimer(timer));
  }

  /** The last decision for the trigger read from the state topic, by host. */
  private Map<String, Integer> placement() {
    StateEntry.Assignment last = null;
    for (StateLog.Update update : read) {
      if (update.entry() instanceof StateEntry.Assignment assignment && assignment.trigger().equals(trigger)) {
        last = assignment;
      }
    }
    return last == null ? Map.of() : last.hosts();
  }

  private TriggerStatus status() {
    return controller.triggers().stream().filter(s -> s.name().equals(trigger)).findFirst().orElseThrow();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A host on which no trigger starts: enough to follow the state topic. */
  private static class NothingRuns implements MeshReconciler {
    @Override
    public Future<Void> reconcile(MeshPlan plan) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stopAll() {
      return Future.succeededFuture();
    }

    @Override
    public List<TriggerStatus> status() {
      return List.of();
    }

    @Override
    public Future<Void> scale(String trigger, int replicas) {
      return Future.failedFuture(new IllegalArgumentException("no trigger named '" + trigger + "' runs"));
    }

    @Override
    public int replicas(String trigger) {
      return 0;
    }
  }

  /** A host on which nothing starts, saying its triggers run as given. */
  private static final class Reporting extends NothingRuns {
    private final TriggerStatus status;

    Reporting(TriggerStatus status) {
      this.status = status;
    }

    @Override
    public List<TriggerStatus> status() {
      return List.of(status);
    }
  }
}
