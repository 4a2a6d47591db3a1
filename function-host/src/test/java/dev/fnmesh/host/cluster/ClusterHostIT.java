package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlanner;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.fnmesh.host.cluster.StateTopic.join;
import static dev.fnmesh.host.cluster.StateTopic.kafka;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A host of a mesh across processes against a real state topic: it beats what runs on it, runs the mesh
 * and the share of replicas written there, asks for sleeping triggers to be woken and says goodbye.
 */
@ExtendWith(KafkaFixture.class)
class ClusterHostIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration BEAT = Duration.ofMillis(300);

  @RegisterExtension
  static final StateTopic STATE = new StateTopic("cluster-host", BEAT);

  private final InMemoryReconciler local = new InMemoryReconciler();
  private final List<StateEntry.MeshDocument> meshesRun = new CopyOnWriteArrayList<>();
  private StateLog controllerSide;
  private StateUpdates read;

  @BeforeEach
  void readerOfTheStateTopic() throws Exception {
    read = new StateUpdates();
    controllerSide = STATE.startedLog("cluster-host-it-reader", read);
  }

  @Test
  void aHostBeatsWhatRunsOnItAndWhatCouldNotStartThere() throws Exception {
    local.runs("work", 2);
    local.failed("resize", "no jar resize.jar in /functions");
    start("first");

    await().atMost(WAIT).until(() -> lastBeat("first") != null);
    StateEntry.HostBeat beat = lastBeat("first");
    assertEquals("http://first:8080", beat.http());
    assertEquals(Map.of("work", 2), beat.running());
    assertEquals(Map.of("resize", "no jar resize.jar in /functions"), beat.failed());

    local.runs("work", 3);
    await().atMost(WAIT).until(() -> runningOn("first").equals(Map.of("work", 3)));
  }

  @Test
  void theMeshOnTheStateTopicRunsBeforeTheHostsStartCompletesAndANewOneRunsWhenWritten() throws Exception {
    StateEntry.MeshDocument first = new StateEntry.MeshDocument("triggers: {}\n", "mesh.yaml", "/meshes");
    join(controllerSide.write(first));

    start("first");

    assertEquals(List.of(first), meshesRun, "the state found at start is applied before start completes");
    StateEntry.MeshDocument second = new StateEntry.MeshDocument("functions: {}\ntriggers: {}\n", "PUT /api/mesh", "/meshes");
    join(controllerSide.write(second));
    await().atMost(WAIT).until(() -> meshesRun.equals(List.of(first, second)));
  }

  @Test
  void aHostRunsItsShareOfTheReplicasAndNoneOnceTheTriggersDecisionIsRemoved() throws Exception {
    local.runs("work", 0);
    start("first");

    join(controllerSide.write(new StateEntry.Assignment("work", 3, Map.of("first", 2, "second", 1), "scaled to 3")));
    await().atMost(WAIT).until(() -> local.replicas("work") == 2);
    await().atMost(WAIT).until(() -> runningOn("first").equals(Map.of("work", 2)));

    join(controllerSide.write(new StateEntry.Removed(StateEntry.REPLICAS_PREFIX + "work")));
    await().atMost(WAIT).until(() -> local.replicas("work") == 0);
  }

  @Test
  void anEventForATopicWhoseTriggersSleepAsksForAWakeAndOneForAnAwakeTriggerDoesNot() throws Exception {
    ClusterHost host = start("first");
    host.replace(plan());
    join(controllerSide.write(new StateEntry.Assignment("awake", 1, Map.of("first", 1), "scaled to 1")));
    await().atMost(WAIT).until(() -> host.status("awake").isPresent());

    host.published("awake-topic");
    host.published("sleepy-topic");

    // One partition, one producer: a wake for the awake topic would come before the sleepy one's.
    await().atMost(WAIT).until(() -> !wakes().isEmpty());
    assertEquals(List.of(new StateEntry.Wake("sleepy-topic")), wakes());
  }

  @Test
  void aHostThatStopsSaysGoodbyeAndBeatsNoMore() throws Exception {
    local.runs("work", 1);
    ClusterHost host = start("leaving");
    await().atMost(WAIT).until(() -> lastBeat("leaving") != null);

    join(host.stop());

    await().atMost(WAIT).until(() -> last("host/leaving") instanceof StateEntry.Removed);
    // Well over the beat interval: no beat follows the goodbye, which would bring the host back.
    await().during(BEAT.multipliedBy(4)).atMost(WAIT)
        .until(() -> last("host/leaving") instanceof StateEntry.Removed);
    assertInstanceOf(StateEntry.HostBeat.class, read.entries("host/leaving").get(0), "it beat before it left");
  }

  private ClusterHost start(String hostId) throws Exception {
    ClusterHost host = new ClusterHost(STATE.vertx(), kafka(), STATE.settings(), STATE.signatures(), STATE.publisher(),
        KafkaClientMeters.none(), hostId,
        "http://" + hostId + ":8080");
    STATE.stopAfterTest(() -> join(host.stop()));
    join(host.start(local, mesh -> {
      meshesRun.add(mesh);
      return Future.succeededFuture();
    }));
    return host;
  }

  private StateEntry last(String key) {
    List<StateEntry> entries = read.entries(key);
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  private StateEntry.HostBeat lastBeat(String hostId) {
    return last(StateEntry.HOST_PREFIX + hostId) instanceof StateEntry.HostBeat beat ? beat : null;
  }

  private Map<String, Integer> runningOn(String hostId) {
    StateEntry.HostBeat beat = lastBeat(hostId);
    return beat == null ? Map.of() : beat.running();
  }

  private List<StateEntry> wakes() {
    return read.entries().stream().filter(StateEntry.Wake.class::isInstance).toList();
  }

  private static MeshPlan plan() {
    MeshPlanner planner = MeshPlanner.create(STATE.vertx(), ClusterHostIT.class.getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
    return planner.plan(new MeshLoader().parse("""
        functions:
          identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
        triggers:
          sleepy:
            kafka: { topic: sleepy-topic }
            function: identity
          awake:
            kafka: { topic: awake-topic }
            function: identity
        """, "test"));
  }
}
