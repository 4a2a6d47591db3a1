package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.GroupProtocolProbe;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.controller.MeshReconciler;
import dev.fnmesh.controller.cluster.ClusterHost;
import dev.fnmesh.controller.cron.CronScheduler;
import dev.fnmesh.controller.impl.ActivatingPublisher;
import dev.fnmesh.controller.impl.LocalMesh;
import dev.fnmesh.controller.impl.MeshApi;
import dev.fnmesh.controller.impl.MeshPlanner;
import dev.fnmesh.controller.impl.MeshRuntime;
import dev.fnmesh.controller.impl.MetricsEndpoint;
import dev.fnmesh.controller.mesh.MeshLoader;
import dev.fnmesh.controller.webhook.WebhookIngress;
import dev.fnmesh.controller.webhook.WebhookNormalizer;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.impl.ProcessRecordFile;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code fnmesh host}: a function host of a mesh across processes. It runs the mesh its controller wrote
 * to the state topic, its share of every trigger's replicas, the HTTP ingress, the webhooks, the function
 * endpoint and (when elected) the cron schedules; {@code GET /api/triggers} and {@code /metrics} show what
 * runs here.
 */
public final class HostNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HostNode.class);

  private final Vertx vertx;
  private final EventPublisher publisher;
  private final TopicAdmin topics;
  private final JarFunctions jars;
  private final MeshRuntime runtime;
  private final HttpServers server;
  private final ClusterHost cluster;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HostNode(Vertx vertx, EventPublisher publisher, TopicAdmin topics, JarFunctions jars, MeshRuntime runtime,
      HttpServers server, ClusterHost cluster) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.topics = topics;
    this.jars = jars;
    this.runtime = runtime;
    this.server = server;
    this.cluster = cluster;
  }

  /**
   * Starts the host and blocks until it read the mesh's state and runs what it found there.
   *
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static HostNode start(HostOptions options) {
    int port;
    try {
      port = options.httpPort() == 0 ? HttpServers.freePort() : options.httpPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free HTTP port: " + e.getMessage(), e);
    }
    String machine = machineName();
    String hostId = options.hostId().orElse(machine + "-" + ProcessHandle.current().pid());
    Vertx vertx = Vertx.vertx();
    KafkaSettings kafka = GroupProtocolProbe.probe(KafkaSettings.of(options.kafka()), Duration.ofSeconds(10));
    EventPublisher publisher = EventPublisher.create(vertx, kafka);
    TopicAdmin topics = TopicAdmin.create(vertx, kafka);
    CronScheduler cron = new CronScheduler(kafka, options.cluster().cron());
    JarFunctions jars = new JarFunctions(options.functionsDir());
    FunctionCatalog catalog = new FunctionCatalog();
    TopicSchemas topicSchemas = new TopicSchemas();
    ClusterHost cluster = new ClusterHost(vertx, kafka, options.cluster(), publisher, hostId,
        "http://" + machine + ":" + port);
    MeshReconciler reconciler = MeshReconciler.create(vertx, kafka, topics, publisher, catalog, cluster::initialReplicas);
    EventPublisher ingressPublisher = new ActivatingPublisher(publisher, cluster::published);
    WebhookIngress webhooks = new WebhookIngress(new WebhookNormalizer(), ingressPublisher, topics,
        options.ingress().maxBodyBytes(), topicSchemas::check);
    AtomicReference<Path> meshDirectory = new AtomicReference<>(options.meshDir().orElse(Path.of(".")));
    MeshPlanner planner = MeshPlanner.create(vertx, HostNode.class.getClassLoader(), jars, options.schemasDir(),
        meshDirectory::get, ProcessRecordFile.open(options.dataDir().resolve(Mesh.PROCESS_RECORDS)));
    MeshRuntime runtime = new MeshRuntime(vertx, new MeshLoader(), planner,
        new LocalMesh(reconciler, webhooks, cron, topicSchemas, cluster));
    AtomicBoolean ready = new AtomicBoolean();
    Router router = Router.router(vertx);
    Routes.health(router, ready::get);
    Routes.events(router, ingressPublisher, topics, options.ingress(), topicSchemas, webhooks, catalog);
    new MeshApi(runtime, Optional.of("host " + hostId + " runs the mesh of its controller: PUT /api/mesh to the"
        + " controller, or edit the controller's mesh file")).mount(router);
    new MetricsEndpoint(runtime::triggers, MetricsEndpoint.Role.HOST).mount(router);
    Routes.notFound(router, "POST /topics/{topic}, POST /webhooks/{path}, /functions/{name}, GET /api/mesh,"
        + " GET /api/triggers, /metrics or GET /healthz");
    HttpServers server = new HttpServers(vertx, router);
    HostNode node = new HostNode(vertx, publisher, topics, jars, runtime, server, cluster);
    try {
      cron.start();
      server.listen(port, "0.0.0.0")
          .compose(v -> cluster.start(reconciler, mesh -> {
            if (options.meshDir().isEmpty()) {
              meshDirectory.set(Path.of(mesh.directory()));
            }
            return runtime.apply(mesh.text(), mesh.source() + " (from the controller)");
          }))
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the host could not start: " + cause.getMessage(), cause);
    }
    ready.set(true);
    LOG.info("host ready host={} kafka={} stateTopic={} http=http://localhost:{}", hostId, options.kafka(),
        options.cluster().stateTopic(), server.port());
    return node;
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
    return cluster.hostId();
  }

  /** Leaves the mesh (its replicas move to the other hosts), stops the triggers, HTTP and the clients. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      vertx.executeBlocking(() -> runtime.stop(), false)
          .compose(stopped -> stopped)
          .eventually(server::close)
          .eventually(publisher::close)
          .eventually(topics::close)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("host did not stop cleanly cause={}", e.getMessage());
    } finally {
      Stopping.vertxAndJars(vertx, jars, LOG);
    }
  }

}
