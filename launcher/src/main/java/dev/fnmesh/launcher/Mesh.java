package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicIngress;
import dev.fnmesh.controller.MeshReconciler;
import dev.fnmesh.controller.mesh.MeshConfig;
import dev.fnmesh.controller.mesh.MeshLoader;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.FunctionEndpoint;
import dev.fnmesh.host.FunctionRegistry;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running mesh in this process: the embedded broker (unless an external cluster is used), the HTTP
 * server with the ingress, the function endpoint and the health check, and every trigger of the mesh
 * file. {@link #close()} stops all of it in reverse order.
 */
public final class Mesh implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);

  private final Optional<EmbeddedKafka> embeddedKafka;
  private final String bootstrapServers;
  private final Vertx vertx;
  private final EventPublisher publisher;
  private final TopicAdmin topics;
  private final MeshReconciler reconciler;
  private final HttpServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Mesh(Optional<EmbeddedKafka> embeddedKafka, String bootstrapServers, Vertx vertx, EventPublisher publisher,
      TopicAdmin topics, MeshReconciler reconciler, HttpServer server) {
    this.embeddedKafka = embeddedKafka;
    this.bootstrapServers = bootstrapServers;
    this.vertx = vertx;
    this.publisher = publisher;
    this.topics = topics;
    this.reconciler = reconciler;
    this.server = server;
  }

  /**
   * Loads and validates the mesh file, then starts everything; blocks until the mesh is ready.
   *
   * @throws dev.fnmesh.controller.mesh.InvalidMeshException when the mesh file is invalid (nothing started)
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static Mesh start(MeshOptions options) {
    MeshConfig mesh = new MeshLoader().load(options.meshFile());
    Optional<EmbeddedKafka> embedded = options.externalKafka().isPresent()
        ? Optional.empty()
        : Optional.of(EmbeddedKafka.start(new EmbeddedKafkaConfig(options.dataDir().resolve("kafka"), options.kafkaPort())));
    String bootstrap = options.externalKafka().orElseGet(() -> embedded.get().bootstrapServers());
    Vertx vertx = Vertx.vertx();
    KafkaSettings kafka = KafkaSettings.of(bootstrap);
    EventPublisher publisher = EventPublisher.create(vertx, kafka);
    TopicAdmin topics = TopicAdmin.create(vertx, kafka);
    FunctionCatalog catalog = new FunctionCatalog();
    MeshReconciler reconciler = MeshReconciler.create(vertx, kafka, topics, publisher,
        new FunctionRegistry(Mesh.class.getClassLoader()), catalog);
    AtomicBoolean ready = new AtomicBoolean();
    Router router = routes(vertx, options, publisher, topics, catalog, ready);
    HttpServer server = vertx.createHttpServer();
    Mesh running = new Mesh(embedded, bootstrap, vertx, publisher, topics, reconciler, server);
    try {
      reconciler.reconcile(mesh)
          .compose(v -> server.requestHandler(router).listen(options.httpPort(), "0.0.0.0"))
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      running.close();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the mesh could not start: " + cause.getMessage(), cause);
    }
    ready.set(true);
    LOG.info("mesh ready file={} kafka={} http=http://localhost:{} triggers={}", options.meshFile(), bootstrap,
        server.actualPort(), mesh.triggers().keySet());
    return running;
  }

  private static Router routes(Vertx vertx, MeshOptions options, EventPublisher publisher, TopicAdmin topics,
      FunctionCatalog catalog, AtomicBoolean ready) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.response()
        .setStatusCode(ready.get() ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", ready.get() ? "ready" : "starting").toBuffer()));
    new TopicIngress(HttpEventDecoder.create(), publisher, topics, options.ingress()).mount(router);
    new FunctionEndpoint(catalog, HttpEventDecoder.create(), options.ingress().maxBodyBytes(),
        TriggerSettings.DEFAULT_TIMEOUT).mount(router);
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", 404).put("field", "path")
            .put("message", "no route " + ctx.request().method() + " " + ctx.request().path()
                + "; try POST /topics/{topic}, /functions/{name} or GET /healthz").toBuffer()));
    return router;
  }

  public int httpPort() {
    return server.actualPort();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the triggers (each commits what it finished), the HTTP server, the clients, then the broker. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      reconciler.stopAll()
          .eventually(() -> server.close())
          .eventually(() -> publisher.close())
          .eventually(() -> topics.close())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // Not chained: the chain's last step runs on a Vert.x thread, and Vert.x cannot close from its own worker.
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("mesh did not stop cleanly cause={}", e.getMessage());
    }
    embeddedKafka.ifPresent(EmbeddedKafka::close);
  }
}
