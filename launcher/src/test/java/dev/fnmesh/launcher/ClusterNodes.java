package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.host.cluster.ClusterSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A mesh across processes inside the test's JVM: controllers and hosts on the fixture's broker, all with one
 * cluster key, the examples' schemas and the built functions; each with its data under the test's directory.
 * Closing it stops them, the last started first.
 */
final class ClusterNodes implements AutoCloseable {

  static final Path SCHEMAS = Path.of("../examples/schemas");
  static final Path FUNCTIONS = Path.of("../functions");

  private final Path dir;
  private final ClusterKey key;
  private final List<AutoCloseable> running = new ArrayList<>();

  /** @param dir where the mesh files and the hosts' data go */
  ClusterNodes(Path dir) {
    this.dir = dir;
    this.key = ClusterKey.of(ClusterKey.generateText(), "the test");
  }

  /** The key every node signs and verifies the state with. */
  ClusterKey key() {
    return key;
  }

  /** A controller running {@code mesh}, written to a file of its own. */
  ControllerNode controller(ClusterSettings cluster, String mesh) throws IOException {
    return controller(cluster, mesh, FUNCTIONS, false);
  }

  ControllerNode controller(ClusterSettings cluster, String mesh, Path functions, boolean allowApiCommands)
      throws IOException {
    Path file = Files.createTempFile(dir, "mesh", ".yaml");
    Files.writeString(file, mesh);
    return started(ControllerNode.start(new ControllerOptions(kafka(), file, HttpPortSettings.loopback(0), SCHEMAS,
        functions, cluster, Duration.ZERO, Optional.of(key), allowApiCommands)));
  }

  /** A host named {@code id}, its data in {@code data-<id>}. */
  HostNode host(ClusterSettings cluster, String id) {
    return host(cluster, id, FUNCTIONS);
  }

  HostNode host(ClusterSettings cluster, String id, Path functions) {
    return started(HostNode.start(new HostOptions(kafka(), HttpPortSettings.loopback(0), Optional.of(id), SCHEMAS,
        functions, Optional.empty(), dir.resolve("data-" + id), IngressSettings.defaults(), cluster,
        Optional.of(key))));
  }

  /** Stops {@code node} with the others. */
  <T extends AutoCloseable> T started(T node) {
    running.add(node);
    return node;
  }

  @Override
  public void close() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  private static KafkaSettings kafka() {
    return KafkaSettings.of(KafkaFixture.bootstrapServers());
  }
}
