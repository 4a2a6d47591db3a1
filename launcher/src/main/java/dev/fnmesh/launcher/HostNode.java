package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.GroupProtocolProbe;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.cron.CronScheduler;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.broker.webhook.WebhookIngress;
import dev.fnmesh.broker.webhook.WebhookNormalizer;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.impl.container.ContainerLeftovers;
import dev.fnmesh.host.impl.process.ProcessRecordFile;
import dev.fnmesh.host.cluster.ClusterHost;
import dev.fnmesh.host.runtime.ActivatingPublisher;
import dev.fnmesh.host.runtime.LocalMesh;
import dev.fnmesh.controller.seek.SeekEndpoint;
import dev.fnmesh.host.deadletters.DeadLetterEndpoint;
import dev.fnmesh.host.dashboard.DashboardPage;
import dev.fnmesh.host.dashboard.DashboardSource;
import dev.fnmesh.host.dashboard.SnapshotStream;
import dev.fnmesh.host.logs.FunctionLogBuffer;
import dev.fnmesh.host.logs.FunctionLogShipper;
import dev.fnmesh.host.logs.FunctionLogsEndpoint;
import dev.fnmesh.host.tail.TailEndpoint;
import dev.fnmesh.host.metrics.ProcessMetrics;
import dev.fnmesh.host.runtime.MeshApi;
import dev.fnmesh.host.runtime.MeshPlanner;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.MeshRuntime;
import dev.fnmesh.host.runtime.MetricsEndpoint;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code fnmesh host}: a function host of a mesh across processes. It runs the mesh its controller wrote
 * to the state topic, its share of every trigger's replicas, the HTTP ingress, the webhooks, the function
 * endpoint and (when elected) the cron schedules; {@code GET /api/triggers} and {@code /metrics} show what
 * runs here.
 */
public final class HostNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HostNode.class);

  private final Node node;
  private final HttpPort server;
  private final String hostId;

  private HostNode(Node node, HttpPort server, String hostId) {
    this.node = node;
    this.server = server;
    this.hostId = hostId;
  }

  /**
   * Starts the host and blocks until it read the mesh's state and runs what it found there.
   *
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static HostNode start(HostOptions options) {
    int port;
    try {
      port = options.http().address().port() == 0 ? HttpServers.freePort() : options.http().address().port();
    } catch (IOException e) {
      throw new IllegalStateException("no free HTTP port: " + e.getMessage(), e);
    }
    String machine = machineName();
    String hostId = options.hostId().orElse(machine + "-" + ProcessHandle.current().pid());
    Tracing tracing = Tracing.fromEnvironment("fnmesh-host");
    ProcessMetrics metrics = ProcessMetrics.create(tracing.on());
    Vertx vertx = MeteredVertx.create(metrics);
    KafkaSettings kafka = GroupProtocolProbe.probe(options.kafka(), Duration.ofSeconds(10));
    EventPublisher publisher = EventPublisher.create(vertx, kafka, metrics.kafkaClients());
    TopicAdmin topics = TopicAdmin.create(vertx, kafka, metrics.kafkaClients());
    StateSignatures signatures = options.clusterKey().map(StateSignatures::with).orElseGet(StateSignatures::none);
    CronScheduler cron = new CronScheduler(kafka, options.cluster().cron(), signatures, tracing,
        metrics.kafkaClients());
    JarFunctions jars = new JarFunctions(options.functionsDir());
    FunctionCatalog catalog = new FunctionCatalog();
    TopicSchemas topicSchemas = new TopicSchemas();
    DeclaredTopics declaredTopics = new DeclaredTopics();
    ClusterHost cluster = new ClusterHost(vertx, kafka, options.cluster(), signatures, publisher,
        metrics.kafkaClients(), hostId,
        (options.http().tls().isPresent() ? "https://" : "http://") + machine + ":" + port);
    MeshReconciler reconciler = MeshReconciler.create(vertx, kafka, topics, publisher, catalog, cluster::initialReplicas,
        metrics, tracing);
    EventPublisher ingressPublisher = new ActivatingPublisher(publisher, cluster::published);
    WebhookIngress webhooks = new WebhookIngress(new WebhookNormalizer(), ingressPublisher, topics,
        options.ingress().maxBodyBytes(), topicSchemas::check, Clock.systemUTC(), tracing);
    AtomicReference<Path> meshDirectory = new AtomicReference<>(options.meshDir().orElse(Path.of(".")));
    MeshPlanner planner = MeshPlanner.create(vertx, HostNode.class.getClassLoader(), jars, options.schemasDir(),
        meshDirectory::get, ProcessRecordFile.open(options.dataDir().resolve(Mesh.PROCESS_RECORDS)), options.containers());
    // Before any function starts: what a killed run on this data directory left running would hold its ports.
    ContainerLeftovers.remove(options.containers(), System.getenv());
    MeshRuntime runtime = new MeshRuntime(vertx, new MeshLoader(), planner,
        new LocalMesh(reconciler, webhooks, cron, topicSchemas, declaredTopics, cluster));
    Readiness readiness = Readiness.checking(vertx, kafka, metrics.kafkaClients());
    List<HttpSurface> surfaces = new ArrayList<>(ProcessRouter.events(ingressPublisher, topics, options.ingress(),
        declaredTopics, topicSchemas, webhooks, catalog, tracing));
    surfaces.add(new MeshApi(runtime, Optional.of("host " + hostId + " runs the mesh of its controller: PUT /api/mesh"
        + " to the controller, or edit the controller's mesh file")));
    surfaces.add(new DeadLetterEndpoint(vertx, kafka, metrics.kafkaClients(), Mesh.runningMesh(runtime)));
    surfaces.add(SeekEndpoint.elsewhere(Mesh.runningMesh(runtime), "host " + hostId + " runs the replicas its"
        + " controller places: send the seek to the controller, which holds the trigger on every host while it moves"));
    surfaces.add(new TailEndpoint(vertx, kafka, metrics.kafkaClients(), Mesh.runningMesh(runtime)));
    surfaces.add(new FunctionLogsEndpoint(vertx, Mesh.runningMesh(runtime)));
    surfaces.add(new DashboardPage());
    surfaces.add(new SnapshotStream(vertx, new DashboardSource(DashboardSource.Role.HOST, runtime::triggers)));
    surfaces.add(new MetricsEndpoint(metrics.registry(), runtime::triggers, MetricsEndpoint.Role.HOST,
        signatures::rejected));
    HttpPort server = new HttpPort(vertx, options.http(), readiness, surfaces, "");
    Node node = Node.start("host", vertx, List.of(
        // Before the mesh: it keeps what the functions write from their start.
        new Node.Part("function logs", () -> vertx.deployVerticle(new FunctionLogBuffer()), Future::succeededFuture),
        Node.Part.stopping("publisher", publisher::close),
        Node.Part.stopping("topic admin", topics::close),
        // Before the mesh, after the publisher and the topic admin it writes with: stopped before them.
        Node.Part.verticle("function log shipper", vertx, new FunctionLogShipper(publisher, topics, signatures,
            options.cluster().logTopic(), hostId)),
        // Stopping the mesh closes the scheduler.
        Node.Part.starting("cron scheduler", cron::start),
        server.part(port),
        new Node.Part("mesh", () -> cluster.start(reconciler, mesh -> {
          if (options.meshDir().isEmpty()) {
            meshDirectory.set(Path.of(mesh.directory()));
          }
          return runtime.apply(mesh.text(), mesh.source() + " (from the controller)");
        }), runtime::stop),
        readiness.part()),
        // Tracing closes last, after Vert.x: the spans of the triggers' last deliveries are exported too.
        List.of(tracing, metrics, jars));
    LOG.info("host ready host={} kafka={} stateTopic={} http={}", hostId, options.kafka().bootstrapServers(),
        options.cluster().stateTopic(), server.url());
    return new HostNode(node, server, hostId);
  }

  private static String machineName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  public int httpPort() {
    return server.port();
  }

  public String hostId() {
    return hostId;
  }

  /** Leaves the mesh (its replicas move to the other hosts), stops the triggers, HTTP and the clients. */
  @Override
  public void close() {
    node.close();
  }
}
