package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.GroupProtocolProbe;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.controller.cluster.ClusterController;
import dev.fnmesh.controller.cluster.HostsEndpoint;
import dev.fnmesh.controller.meshfile.MeshFileWatcher;
import dev.fnmesh.controller.scale.LagMonitor;
import dev.fnmesh.controller.seek.GroupSeek;
import dev.fnmesh.controller.seek.SeekEndpoint;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.deadletters.DeadLetterEndpoint;
import dev.fnmesh.host.dashboard.DashboardPage;
import dev.fnmesh.host.dashboard.DashboardSource;
import dev.fnmesh.host.dashboard.SnapshotStream;
import dev.fnmesh.host.logs.FunctionLogBuffer;
import dev.fnmesh.host.logs.FunctionLogCollector;
import dev.fnmesh.host.logs.FunctionLogsEndpoint;
import dev.fnmesh.host.tail.TailEndpoint;
import dev.fnmesh.host.metrics.ProcessMetrics;
import dev.fnmesh.host.runtime.MeshApi;
import dev.fnmesh.host.runtime.MeshPlanner;
import dev.fnmesh.host.runtime.MeshRuntime;
import dev.fnmesh.host.runtime.MetricsEndpoint;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code fnmesh controller}: the trigger controller of a mesh across processes. It validates the mesh
 * file, writes it to the state topic for the hosts, scales every trigger by its lag and spreads the
 * replicas over the live hosts. It serves the mesh API ({@code /api/mesh}, {@code /api/triggers}),
 * {@code GET /api/hosts} and {@code /metrics}.
 */
public final class ControllerNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerNode.class);

  private final Node node;
  private final HttpPort server;

  private ControllerNode(Node node, HttpPort server) {
    this.node = node;
    this.server = server;
  }

  /**
   * Validates the mesh file, then starts; blocks until the mesh is on the state topic.
   *
   * @throws dev.fnmesh.mesh.MeshException when the mesh file is invalid (nothing started)
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static ControllerNode start(ControllerOptions options) {
    MeshLoader loader = new MeshLoader();
    String text = Mesh.read(loader, options.meshFile());
    loader.parse(text, options.meshFile().toString());
    // No span of its own yet: configured all the same, so that the controller's service is named and flushed.
    Tracing tracing = Tracing.fromEnvironment("fnmesh-controller");
    ProcessMetrics metrics = ProcessMetrics.create(tracing.on());
    Vertx vertx = MeteredVertx.create(metrics);
    KafkaSettings kafka = GroupProtocolProbe.probe(options.kafka(), Duration.ofSeconds(10));
    EventPublisher publisher = EventPublisher.create(vertx, kafka, metrics.kafkaClients());
    Admin lagAdmin = Admin.create(kafka.adminConfig("fnmesh-lag-" + UUID.randomUUID()));
    KafkaClientMeters.Binding lagAdminMeters = metrics.kafkaClients().bind(lagAdmin);
    JarFunctions jars = new JarFunctions(options.functionsDir());
    Path meshDirectory = options.meshFile().toAbsolutePath().getParent();
    StateSignatures signatures = options.clusterKey().map(StateSignatures::with).orElseGet(StateSignatures::none);
    ClusterController controller = new ClusterController(vertx, kafka, options.cluster(), signatures, publisher,
        metrics.kafkaClients(), new LagMonitor(vertx, lagAdmin), Clock.systemUTC(), meshDirectory);
    // The controller plans the mesh as a host would, so that a mesh no host could run is refused here.
    MeshPlanner planner = MeshPlanner.create(vertx, ControllerNode.class.getClassLoader(), jars, options.schemasDir(),
        () -> meshDirectory, ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
    MeshRuntime runtime = new MeshRuntime(vertx, loader, planner, controller);
    MeshFileWatcher watcher = new MeshFileWatcher(vertx, options.meshFile(), options.functionsDir(), runtime,
        options.watchInterval().toMillis());
    Readiness readiness = Readiness.checking(vertx, kafka, metrics.kafkaClients());
    HttpPort server = new HttpPort(vertx, options.http(), readiness, List.of(
        new MeshApi(runtime, options.allowApiCommands()), new HostsEndpoint(controller),
        new DeadLetterEndpoint(vertx, kafka, metrics.kafkaClients(), Mesh.runningMesh(runtime)),
        new SeekEndpoint(Mesh.runningMesh(runtime), new GroupSeek(vertx, lagAdmin, controller)),
        new TailEndpoint(vertx, kafka, metrics.kafkaClients(), Mesh.runningMesh(runtime)),
        new FunctionLogsEndpoint(vertx, Mesh.runningMesh(runtime)),
        new DashboardPage(),
        new SnapshotStream(vertx, new DashboardSource(DashboardSource.Role.CONTROLLER, runtime::triggers,
            Optional.of(controller::hosts))),
        new MetricsEndpoint(metrics.registry(), runtime::triggers, MetricsEndpoint.Role.CONTROLLER,
            signatures::rejected)),
        "; events go to the hosts");
    FunctionLogCollector logs = new FunctionLogCollector(vertx, kafka, metrics.kafkaClients(), signatures,
        options.cluster().logTopic(), "fnmesh-controller-logs");
    Node node = Node.start("controller", vertx, List.of(
        // Keeps the entries the hosts write to the log topic, which the collector reads into it.
        Node.Part.verticle("function logs", vertx, new FunctionLogBuffer()),
        new Node.Part("function log collector", () -> {
          logs.start();
          return Future.succeededFuture();
        }, logs::stop),
        Node.Part.stopping("publisher", publisher::close),
        Node.Part.admin("lag admin", vertx, lagAdmin, lagAdminMeters),
        new Node.Part("mesh", () -> controller.start().compose(v -> runtime.apply(text, options.meshFile().toString())),
            runtime::stop),
        server.part(),
        Node.Part.watching(watcher, text, options.watchInterval()),
        readiness.part()), List.of(tracing, metrics, jars));
    LOG.info("controller ready file={} kafka={} stateTopic={} http={}", options.meshFile(),
        options.kafka().bootstrapServers(), options.cluster().stateTopic(), server.url());
    return new ControllerNode(node, server);
  }

  public int httpPort() {
    return server.port();
  }

  /** Stops watching, HTTP and scaling; the hosts keep running the replicas they were given. */
  @Override
  public void close() {
    node.close();
  }
}
