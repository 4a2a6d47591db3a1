package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.GroupProtocolProbe;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.controller.MeshReconciler;
import dev.fnmesh.controller.cron.CronScheduler;
import dev.fnmesh.controller.impl.ActivatingPublisher;
import dev.fnmesh.controller.impl.Autoscaler;
import dev.fnmesh.controller.impl.LocalMesh;
import dev.fnmesh.controller.impl.MeshApi;
import dev.fnmesh.controller.impl.MetricsEndpoint;
import dev.fnmesh.controller.impl.MeshFileWatcher;
import dev.fnmesh.controller.impl.MeshPlanner;
import dev.fnmesh.controller.impl.MeshRuntime;
import dev.fnmesh.controller.mesh.MeshLoader;
import dev.fnmesh.controller.scale.LagMonitor;
import dev.fnmesh.controller.webhook.WebhookIngress;
import dev.fnmesh.controller.webhook.WebhookNormalizer;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.impl.ProcessRecordFile;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running mesh in this process: the embedded broker (unless an external cluster is used), the HTTP
 * server with the ingresses, the function endpoint, the mesh API and the health check, the cron scheduler
 * and every trigger of the mesh file, which is watched for changes. {@link #close()} stops all of it in
 * reverse order.
 */
public final class Mesh implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);
  /** Where, under the data directory, the function processes are noted for a start after a SIGKILL. */
  static final String PROCESS_RECORDS = "processes";

  private final Optional<EmbeddedKafka> embeddedKafka;
  private final String bootstrapServers;
  private final Vertx vertx;
  private final Clients clients;
  private final MeshRuntime runtime;
  private final MeshFileWatcher watcher;
  private final HttpServers server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Mesh(Optional<EmbeddedKafka> embeddedKafka, String bootstrapServers, Vertx vertx, Clients clients,
      MeshRuntime runtime, MeshFileWatcher watcher, HttpServers server) {
    this.embeddedKafka = embeddedKafka;
    this.bootstrapServers = bootstrapServers;
    this.vertx = vertx;
    this.clients = clients;
    this.runtime = runtime;
    this.watcher = watcher;
    this.server = server;
  }

  /**
   * Loads and validates the mesh file, then starts everything; blocks until the mesh is ready.
   *
   * @throws dev.fnmesh.controller.mesh.InvalidMeshException when the mesh file is invalid (nothing started)
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static Mesh start(MeshOptions options) {
    MeshLoader loader = new MeshLoader();
    String text = read(loader, options.meshFile());
    loader.parse(text, options.meshFile().toString());
    Optional<EmbeddedKafka> embedded = options.externalKafka().isPresent()
        ? Optional.empty()
        : Optional.of(EmbeddedKafka.start(new EmbeddedKafkaConfig(options.dataDir().resolve("kafka"), options.kafkaPort())));
    String bootstrap = options.externalKafka().orElseGet(() -> embedded.get().bootstrapServers());
    Vertx vertx = Vertx.vertx();
    KafkaSettings kafka = GroupProtocolProbe.probe(KafkaSettings.of(bootstrap), Duration.ofSeconds(10));
    Clients clients = new Clients(EventPublisher.create(vertx, kafka), TopicAdmin.create(vertx, kafka), new CronScheduler(kafka),
        Admin.create(kafka.adminConfig("fnmesh-lag-" + UUID.randomUUID())), new JarFunctions(options.functionsDir()));
    FunctionCatalog catalog = new FunctionCatalog();
    TopicSchemas topicSchemas = new TopicSchemas();
    MeshReconciler reconciler = MeshReconciler.create(vertx, kafka, clients.topics(), clients.publisher(), catalog);
    Autoscaler autoscaler = new Autoscaler(vertx, reconciler, new LagMonitor(vertx, clients.lagAdmin()), Clock.systemUTC());
    // What the ingresses accept wakes the triggers of its topic at once.
    EventPublisher ingressPublisher = new ActivatingPublisher(clients.publisher(), autoscaler::published);
    WebhookIngress webhooks = new WebhookIngress(new WebhookNormalizer(), ingressPublisher, clients.topics(),
        options.ingress().maxBodyBytes(), topicSchemas::check);
    Path meshDirectory = options.meshFile().toAbsolutePath().getParent();
    MeshPlanner planner = MeshPlanner.create(vertx, Mesh.class.getClassLoader(), clients.jars(), options.schemasDir(),
        () -> meshDirectory, ProcessRecordFile.open(options.dataDir().resolve(PROCESS_RECORDS)));
    MeshRuntime runtime = new MeshRuntime(vertx, loader, planner,
        new LocalMesh(reconciler, webhooks, clients.cron(), topicSchemas, autoscaler));
    MeshFileWatcher watcher = new MeshFileWatcher(vertx, options.meshFile(), options.functionsDir(), runtime,
        options.watchInterval().toMillis());
    AtomicBoolean ready = new AtomicBoolean();
    Router router = Router.router(vertx);
    Routes.health(router, ready::get);
    Routes.events(router, ingressPublisher, clients.topics(), options.ingress(), topicSchemas, webhooks, catalog);
    new MeshApi(runtime).mount(router);
    new MetricsEndpoint(runtime::triggers).mount(router);
    Routes.notFound(router, "POST /topics/{topic}, POST /webhooks/{path}, /functions/{name}, /api/mesh, /api/triggers,"
        + " /metrics or GET /healthz");
    HttpServers server = new HttpServers(vertx, router);
    Mesh running = new Mesh(embedded, bootstrap, vertx, clients, runtime, watcher, server);
    try {
      clients.cron().start();
      runtime.apply(text, options.meshFile().toString())
          .compose(v -> server.listen(options.httpPort(), "0.0.0.0"))
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      running.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the mesh could not start: " + cause.getMessage(), cause);
    }
    if (!options.watchInterval().isZero()) {
      watcher.start(text);
    }
    ready.set(true);
    LOG.info("mesh ready file={} kafka={} http=http://localhost:{}", options.meshFile(), bootstrap, server.port());
    return running;
  }

  /** The mesh file's text; an unreadable file is reported the way the loader words every problem. */
  static String read(MeshLoader loader, Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      // The loader words an unreadable file the way it words every other problem, naming the file.
      loader.load(file);
      throw new UncheckedIOException(e);
    }
  }

  public int httpPort() {
    return server.port();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the watcher, the triggers (each commits what it finished), HTTP, the clients, then the broker. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      watcher.stop();
      runtime.stop()
          .eventually(() -> server.close())
          .eventually(() -> clients.publisher().close())
          .eventually(() -> clients.topics().close())
          .eventually(() -> vertx.executeBlocking(() -> {
            clients.lagAdmin().close(Duration.ofSeconds(5));
            return null;
          }, false))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("mesh did not stop cleanly cause={}", e.getMessage());
    } finally {
      Stopping.vertxAndJars(vertx, clients.jars(), LOG);
    }
    embeddedKafka.ifPresent(EmbeddedKafka::close);
  }

  /** The Kafka clients one process shares. */
  private record Clients(EventPublisher publisher, TopicAdmin topics, CronScheduler cron, Admin lagAdmin,
      JarFunctions jars) {}
}
