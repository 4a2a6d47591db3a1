package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mesh across processes: {@code fnmesh controller} and three {@code fnmesh host} processes on the shared
 * broker. A backlog spreads the trigger's replicas over the hosts; one host is killed with SIGKILL while it
 * works; its replicas move to the others, its partitions are taken over through the group rebalance and
 * every event is handled; after the backlog the trigger returns to zero on every host.
 */
class HostsTakeoverIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 6;
  private static final int BACKLOG = 3000;

  @TempDir
  Path dir;
  private MeshProcesses mesh;

  @AfterEach
  void stopProcesses() throws InterruptedException {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aKilledHostsReplicasAndPartitionsAreTakenOverAndNoEventIsLost() throws Exception {
    String topic = KafkaFixture.uniqueTopic("takeover");
    String stateTopic = topic + ".state";
    mesh = new MeshProcesses(dir, WAIT);
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          slow: { java: sleep, config: { ms: 20 } }
        triggers:
          %1$s:
            kafka: { topic: %1$s, partitions: %2$d }
            function: slow
            reply: { topic: %1$s.replies }
            scale: { lagThreshold: 100, cooldown: PT3S, pollInterval: PT0.5S }
        """.formatted(topic, PARTITIONS));
    int controllerPort = MeshProcesses.freePort();
    // A host timeout well above a JIT or GC pause of five JVMs on two cores, so that only the kill counts.
    mesh.start("controller", controllerPort, "controller", "--config", meshFile.toString(), "--state-topic", stateTopic,
        "--host-timeout", "PT10S");
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    for (String host : List.of("host-a", "host-b", "host-c")) {
      int port = MeshProcesses.freePort();
      hostPorts.put(host, port);
      mesh.start(host, port, "host", "--host-id", host, "--state-topic", stateTopic);
    }
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
        mesh.get(controllerPort, "/api/hosts").getJsonArray("hosts").size() == 3);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> mesh.triggerOn(hostPorts.get("host-c")) != null);

    MeshProcesses.writeEvents(topic, BACKLOG, PARTITIONS);
    // The backlog asks for one replica per partition: two on each of the three hosts.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
        mesh.placement(controllerPort).equals(Map.of("host-a", 2, "host-b", 2, "host-c", 2)));
    int victimPort = hostPorts.get("host-b");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonObject victim = mesh.triggerOn(victimPort);
      return victim.getInteger("replicas") == 2 && victim.getJsonObject("events").getLong("succeeded") > 0;
    });

    mesh.process("host-b").destroyForcibly().waitFor();
    long repliedAtKill = TestMesh.recordCount(topic + ".replies");
    assertTrue(repliedAtKill < BACKLOG, "the host was killed while the backlog was being handled");

    // Its replicas move to the hosts left, which run them.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      Map<String, Integer> placement = mesh.placement(controllerPort);
      return !placement.isEmpty() && !placement.containsKey("host-b")
          && placement.values().stream().mapToInt(Integer::intValue).sum() == desired(controllerPort)
          && placement.getOrDefault("host-a", 0) == mesh.triggerOn(hostPorts.get("host-a")).getInteger("replicas")
          && placement.getOrDefault("host-c", 0) == mesh.triggerOn(hostPorts.get("host-c")).getInteger("replicas");
    });
    List<String> expected = IntStream.range(0, BACKLOG).mapToObj(i -> "event-" + i).toList();
    // A rebalance redelivers what was not yet committed, so replies may repeat: count distinct ids.
    Set<String> handled = TestMesh.readEventsWithIds(topic + ".replies", expected, WAIT).stream()
        .map(event -> event.getId()).collect(Collectors.toSet());
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(handled);
    assertTrue(missing.isEmpty(), () -> missing.size() + " events never handled, e.g. "
        + missing.stream().limit(5).toList() + "\n" + mesh.logs());

    // Drained: after the cooldown no host runs a replica.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> desired(controllerPort) == 0
        && mesh.triggerOn(hostPorts.get("host-a")).getInteger("replicas") == 0
        && mesh.triggerOn(hostPorts.get("host-c")).getInteger("replicas") == 0);
    assertFalse(mesh.process("host-b").isAlive());
    assertTrue(mesh.process("host-a").isAlive() && mesh.process("host-c").isAlive() && mesh.process("controller").isAlive(),
        "the other processes stay up");
  }

  private int desired(int controllerPort) throws IOException, InterruptedException {
    return mesh.triggerOn(controllerPort).getJsonObject("scaling").getInteger("desiredReplicas");
  }

}
