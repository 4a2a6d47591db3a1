package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.controller.cluster.ClusterController;
import dev.fnmesh.controller.impl.MeshApi;
import dev.fnmesh.controller.impl.MeshFileWatcher;
import dev.fnmesh.controller.impl.MeshPlanner;
import dev.fnmesh.controller.impl.MeshRuntime;
import dev.fnmesh.controller.impl.MetricsEndpoint;
import dev.fnmesh.controller.mesh.MeshLoader;
import dev.fnmesh.controller.scale.LagMonitor;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.ProcessRecords;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code fnmesh controller}: the trigger controller of a mesh across processes. It validates the mesh
 * file, writes it to the state topic for the hosts, scales every trigger by its lag and spreads the
 * replicas over the live hosts. It serves the mesh API ({@code /api/mesh}, {@code /api/triggers}),
 * {@code GET /api/hosts} and {@code /metrics}.
 */
public final class ControllerNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerNode.class);

  private final Vertx vertx;
  private final EventPublisher publisher;
  private final Admin lagAdmin;
  private final JarFunctions jars;
  private final MeshRuntime runtime;
  private final MeshFileWatcher watcher;
  private final HttpServers server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ControllerNode(Vertx vertx, EventPublisher publisher, Admin lagAdmin, JarFunctions jars, MeshRuntime runtime,
      MeshFileWatcher watcher, HttpServers server) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.lagAdmin = lagAdmin;
    this.jars = jars;
    this.runtime = runtime;
    this.watcher = watcher;
    this.server = server;
  }

  /**
   * Validates the mesh file, then starts; blocks until the mesh is on the state topic.
   *
   * @throws dev.fnmesh.controller.mesh.InvalidMeshException when the mesh file is invalid (nothing started)
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static ControllerNode start(ControllerOptions options) {
    MeshLoader loader = new MeshLoader();
    String text = Mesh.read(loader, options.meshFile());
    loader.parse(text, options.meshFile().toString());
    Vertx vertx = Vertx.vertx();
    KafkaSettings kafka = KafkaSettings.of(options.kafka());
    EventPublisher publisher = EventPublisher.create(vertx, kafka);
    Admin lagAdmin = Admin.create(kafka.adminConfig("fnmesh-lag-" + UUID.randomUUID()));
    JarFunctions jars = new JarFunctions(options.functionsDir());
    Path meshDirectory = options.meshFile().toAbsolutePath().getParent();
    ClusterController controller = new ClusterController(vertx, kafka, options.cluster(), publisher,
        new LagMonitor(vertx, lagAdmin), Clock.systemUTC(), meshDirectory);
    // The controller plans the mesh as a host would, so that a mesh no host could run is refused here.
    MeshPlanner planner = MeshPlanner.create(vertx, ControllerNode.class.getClassLoader(), jars, options.schemasDir(),
        () -> meshDirectory, ProcessRecords.NONE);
    MeshRuntime runtime = new MeshRuntime(vertx, loader, planner, controller);
    MeshFileWatcher watcher = new MeshFileWatcher(vertx, options.meshFile(), options.functionsDir(), runtime,
        options.watchInterval().toMillis());
    AtomicBoolean ready = new AtomicBoolean();
    Router router = Router.router(vertx);
    Routes.health(router, ready::get);
    new MeshApi(runtime).mount(router);
    new MetricsEndpoint(runtime::triggers, MetricsEndpoint.Role.CONTROLLER).mount(router);
    router.get("/api/hosts").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(new JsonObject().put("hosts", new JsonArray(List.copyOf(controller.hosts()))).toBuffer()));
    Routes.notFound(router, "/api/mesh, GET /api/triggers, GET /api/hosts, /metrics or GET /healthz;"
        + " events go to the hosts");
    HttpServers server = new HttpServers(vertx, router);
    ControllerNode node = new ControllerNode(vertx, publisher, lagAdmin, jars, runtime, watcher, server);
    try {
      controller.start()
          .compose(v -> runtime.apply(text, options.meshFile().toString()))
          .compose(v -> server.listen(options.httpPort(), "0.0.0.0"))
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      node.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the controller could not start: " + cause.getMessage(), cause);
    }
    if (!options.watchInterval().isZero()) {
      watcher.start(text);
    }
    ready.set(true);
    LOG.info("controller ready file={} kafka={} stateTopic={} http=http://localhost:{}", options.meshFile(),
        options.kafka(), options.cluster().stateTopic(), server.port());
    return node;
  }

  public int httpPort() {
    return server.port();
  }

  /** Stops watching, scaling and HTTP; the hosts keep running the replicas they were given. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      watcher.stop();
      vertx.executeBlocking(() -> runtime.stop(), false)
          .compose(stopped -> stopped)
          .eventually(server::close)
          .eventually(publisher::close)
          .eventually(() -> vertx.executeBlocking(() -> {
            lagAdmin.close(Duration.ofSeconds(5));
            return null;
          }, false))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("controller did not stop cleanly cause={}", e.getMessage());
    } finally {
      Stopping.vertxAndJars(vertx, jars, LOG);
    }
  }

}
