package dev.fnmesh.launcher;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.GroupProtocolProbe;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.metrics.KafkaClientMeters;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.cron.CronScheduler;
import dev.fnmesh.broker.cron.CronSchedulerSettings;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.broker.webhook.WebhookIngress;
import dev.fnmesh.broker.webhook.WebhookNormalizer;
import dev.fnmesh.controller.meshfile.MeshFileWatcher;
import dev.fnmesh.controller.scale.Autoscaler;
import dev.fnmesh.controller.scale.LagMonitor;
import dev.fnmesh.controller.seek.GroupSeek;
import dev.fnmesh.controller.seek.SeekEndpoint;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.impl.container.ContainerLeftovers;
import dev.fnmesh.host.impl.process.ProcessRecordFile;
import dev.fnmesh.host.runtime.ActivatingPublisher;
import dev.fnmesh.host.runtime.LocalMesh;
import dev.fnmesh.host.deadletters.DeadLetterEndpoint;
import dev.fnmesh.host.dashboard.DashboardPage;
import dev.fnmesh.host.dashboard.DashboardSource;
import dev.fnmesh.host.dashboard.SnapshotStream;
import dev.fnmesh.host.logs.FunctionLogBuffer;
import dev.fnmesh.host.logs.FunctionLogsEndpoint;
import dev.fnmesh.host.tail.TailEndpoint;
import dev.fnmesh.host.metrics.ProcessMetrics;
import dev.fnmesh.host.runtime.MeshApi;
import dev.fnmesh.host.runtime.MeshPlan;
import dev.fnmesh.host.runtime.MeshPlanner;
import dev.fnmesh.host.runtime.MeshReconciler;
import dev.fnmesh.host.runtime.MeshRuntime;
import dev.fnmesh.host.runtime.MeshTarget;
import dev.fnmesh.host.runtime.SelectedTriggers;
import dev.fnmesh.host.runtime.MetricsEndpoint;
import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.load.MeshLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@code fnmesh up}: the whole mesh in this process. The embedded broker (unless an external cluster is
 * used), the HTTP server with the ingresses, the function endpoint, the mesh API and the health check, the
 * cron scheduler and every trigger of the mesh file, which is watched for changes.
 */
public final class Mesh implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);
  /** Where, under the data directory, the function processes are noted for a start after a SIGKILL. */
  static final String PROCESS_RECORDS = "processes";

  private final Node node;
  private final String bootstrapServers;
  private final HttpPort server;

  private Mesh(Node node, String bootstrapServers, HttpPort server) {
    this.node = node;
    this.bootstrapServers = bootstrapServers;
    this.server = server;
  }

  /**
   * Loads and validates the mesh file, then starts everything; blocks until the mesh is ready.
   *
   * @throws dev.fnmesh.mesh.MeshException when the mesh file is invalid (nothing started)
   * @throws IllegalStateException when a part could not start (what did start is stopped again)
   */
  public static Mesh start(MeshOptions options) {
    StartClock clock = StartClock.ofThisProcess();
    // The JVM's start, its classes loaded for the command line and the log: what AppCDS shortens.
    LOG.info("mesh starting phase=jvm-started elapsedMs={}", clock.elapsedMs());
    MeshLoader loader = new MeshLoader();
    String text = read(loader, options.meshFile());
    loader.parse(text, options.meshFile().toString());
    LOG.info("mesh starting phase=mesh-file-checked elapsedMs={}", clock.elapsedMs());
    // The cron state is the only state topic of a whole mesh in one process: signed all the same.
    StateSignatures signatures = StateSignatures.with(
        options.clusterKey().orElseGet(() -> ClusterKeyFiles.keptIn(options.dataDir())));
    List<AutoCloseable> afterVertx = new ArrayList<>();
    // Closed last, after Vert.x: the spans of the triggers' last deliveries are exported too.
    Tracing tracing = Tracing.fromEnvironment("fnmesh-up");
    afterVertx.add(tracing);
    // The broker starts on a thread of its own while the rest of the process is prepared: both mostly load
    // classes, and a machine has more than one core.
    Optional<EmbeddedKafka.Launch> embedded = options.externalKafka().isPresent()
        ? Optional.empty()
        : Optional.of(EmbeddedKafka.launch(new EmbeddedKafkaConfig(options.dataDir().resolve("kafka"), options.kafkaPort())));
    embedded.ifPresent(afterVertx::add);
    KafkaSettings external = options.externalKafka().orElseGet(() -> KafkaSettings.of(embedded.get().bootstrapServers()));
    String bootstrap = external.bootstrapServers();
    CompletableFuture<KafkaSettings> probed = probeOnceUp(external, embedded, clock);
    ProcessMetrics metrics = ProcessMetrics.create(tracing.on());
    afterVertx.add(metrics);
    Vertx vertx = MeteredVertx.create(metrics);
    JarFunctions jars = new JarFunctions(options.functionsDir());
    afterVertx.add(jars);
    FunctionCatalog catalog = new FunctionCatalog();
    TopicSchemas topicSchemas = new TopicSchemas();
    DeclaredTopics declaredTopics = new DeclaredTopics();
    // Neither the plan's pieces nor the process's metrics depend on Kafka: made while it starts.
    Path meshDirectory = options.meshDir().orElseGet(() -> options.meshFile().toAbsolutePath().getParent())
        .toAbsolutePath();
    MeshPlanner planner = MeshPlanner.create(vertx, Mesh.class.getClassLoader(), jars, options.schemasDir(),
        () -> meshDirectory, ProcessRecordFile.open(options.dataDir().resolve(PROCESS_RECORDS)), options.containers());
    // Before any function starts: what a killed run on this data directory left running would hold its ports.
    // Asking the container engine takes a process start or two: on a thread of its own, waited for before the mesh.
    CompletableFuture<Void> leftoversRemoved = CompletableFuture.runAsync(
        () -> ContainerLeftovers.remove(options.containers(), System.getenv()),
        task -> new Thread(task, "fnmesh-container-leftovers").start());
    // The clients are made once the cluster takes them: made before, they would each retry their first
    // connection, logging each try, and wait out a growing backoff after it started.
    KafkaSettings kafka = awaitKafka(probed, () -> Node.start("mesh", vertx, List.of(), afterVertx).close());
    EventPublisher publisher = EventPublisher.create(vertx, kafka, metrics.kafkaClients());
    TopicAdmin topics = TopicAdmin.create(vertx, kafka, metrics.kafkaClients());
    Admin lagAdmin = Admin.create(kafka.adminConfig("fnmesh-lag-" + UUID.randomUUID()));
    KafkaClientMeters.Binding lagAdminMeters = metrics.kafkaClients().bind(lagAdmin);
    CronScheduler cron = new CronScheduler(kafka, CronSchedulerSettings.defaults(), signatures, tracing,
        metrics.kafkaClients());
    MeshReconciler reconciler = MeshReconciler.create(vertx, kafka, topics, publisher, catalog,
        MeshPlan.PlannedTrigger::initialReplicas, metrics, tracing);
    // Every replica runs in this process: a trigger left at the default scaling takes at most one per core.
    Autoscaler autoscaler = new Autoscaler(vertx, reconciler, new LagMonitor(vertx, lagAdmin), Clock.systemUTC(),
        Runtime.getRuntime().availableProcessors());
    // What the ingresses accept wakes the triggers of its topic at once.
    EventPublisher ingressPublisher = new ActivatingPublisher(publisher, autoscaler::published);
    WebhookIngress webhooks = new WebhookIngress(new WebhookNormalizer(), ingressPublisher, topics,
        options.ingress().maxBodyBytes(), topicSchemas::check, Clock.systemUTC(), tracing);
    MeshTarget local = new LocalMesh(reconciler, webhooks, cron, topicSchemas, declaredTopics, autoscaler);
    MeshRuntime runtime = new MeshRuntime(vertx, loader, planner, options.onlyTriggers()
        .<MeshTarget>map(names -> new SelectedTriggers(local, names, options.replicasEach())).orElse(local));
    MeshFileWatcher watcher = new MeshFileWatcher(vertx, options.meshFile(), options.functionsDir(), runtime,
        options.watchInterval().toMillis());
    Readiness readiness = Readiness.checking(vertx, kafka, metrics.kafkaClients());
    List<HttpSurface> surfaces = new ArrayList<>(ProcessRouter.events(ingressPublisher, topics, options.ingress(),
        declaredTopics, topicSchemas, webhooks, catalog, tracing));
    surfaces.add(new MeshApi(runtime, options.allowApiCommands()));
    surfaces.add(new DeadLetterEndpoint(vertx, kafka, metrics.kafkaClients(), runningMesh(runtime)));
    surfaces.add(new SeekEndpoint(runningMesh(runtime), new GroupSeek(vertx, lagAdmin, autoscaler)));
    surfaces.add(new TailEndpoint(vertx, kafka, metrics.kafkaClients(), runningMesh(runtime)));
    surfaces.add(new FunctionLogsEndpoint(vertx, runningMesh(runtime)));
    surfaces.add(new DashboardPage());
    surfaces.add(new SnapshotStream(vertx, new DashboardSource(DashboardSource.Role.MESH, runtime::triggers)));
    surfaces.add(new MetricsEndpoint(metrics.registry(), runtime::triggers, MetricsEndpoint.Role.WHOLE_MESH,
        signatures::rejected));
    HttpPort server = new HttpPort(vertx, options.http(), readiness, surfaces, "");
    LOG.info("mesh starting phase=prepared elapsedMs={}", clock.elapsedMs());
    List<Node.Part> readinessParts = readiness.parts();
    Node node = Node.start("mesh", vertx, List.of(
        // Kafka's first reachability check runs while the rest starts; the last part waits for its answer.
        readinessParts.get(0),
        // Before the mesh: it keeps what the functions write from their start.
        new Node.Part("function logs", () -> vertx.deployVerticle(new FunctionLogBuffer()), Future::succeededFuture),
        Node.Part.stopping("publisher", publisher::close),
        Node.Part.stopping("topic admin", topics::close),
        Node.Part.admin("lag admin", vertx, lagAdmin, lagAdminMeters),
        // Stopping the mesh closes the scheduler.
        Node.Part.starting("cron scheduler", cron::start),
        new Node.Part("leftover containers", () -> Future.fromCompletionStage(leftoversRemoved), Future::succeededFuture),
        new Node.Part("mesh", () -> firstApply(runtime, text, options.meshFile().toString())
            .onSuccess(v -> LOG.info("mesh starting phase=triggers-started elapsedMs={}", clock.elapsedMs())),
            runtime::stop),
        server.part(),
        Node.Part.watching(watcher, text, options.watchInterval()),
        readinessParts.get(1)), afterVertx);
    LOG.info("mesh ready file={} kafka={} http={} elapsedMs={}", options.meshFile(), bootstrap, server.url(),
        clock.elapsedMs());
    return new Mesh(node, bootstrap, server);
  }

  /**
   * The consumer group protocol the cluster offers, asked on a thread of its own as soon as the cluster takes
   * clients: at once for a cluster given with {@code --kafka}, once started for the embedded broker.
   */
  private static CompletableFuture<KafkaSettings> probeOnceUp(KafkaSettings kafka,
      Optional<EmbeddedKafka.Launch> embedded, StartClock clock) {
    CompletableFuture<?> up = embedded.<CompletableFuture<?>>map(EmbeddedKafka.Launch::started)
        .orElseGet(() -> CompletableFuture.completedFuture(null));
    return up.thenApplyAsync(started -> {
      LOG.info("mesh starting phase=kafka-up elapsedMs={}", clock.elapsedMs());
      KafkaSettings probed = GroupProtocolProbe.probe(kafka, Duration.ofSeconds(10));
      LOG.info("mesh starting phase=group-protocol-probed elapsedMs={}", clock.elapsedMs());
      return probed;
    }, task -> new Thread(task, "fnmesh-kafka-probe").start());
  }

  /**
   * The settings once the cluster answered the probe; when the embedded broker did not start or the cluster
   * refused the client, what was made meanwhile is closed and the start fails with the reason.
   */
  private static KafkaSettings awaitKafka(CompletableFuture<KafkaSettings> probed, Runnable closeWhatWasMade) {
    try {
      return probed.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      closeWhatWasMade.run();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause.getMessage(), cause);
    }
  }

  /**
   * The mesh file applied at start. An invalid mesh ends the start; a trigger that could not start yet (a topic
   * not served in time on a busy broker, Kafka away for a moment) does not: it shows {@code failed} with the
   * reason and is started again by the reconciler, while the rest of the mesh runs.
   */
  static Future<Void> firstApply(MeshRuntime runtime, String text, String source) {
    return runtime.apply(text, source).recover(failure -> {
      if (failure instanceof MeshException) {
        return Future.failedFuture(failure);
      }
      LOG.warn("mesh started without every trigger: they are started again, see GET /api/triggers cause={}",
          failure.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The mesh that runs, for the surfaces that look triggers up; null before the first one ran. */
  static Supplier<MeshConfig> runningMesh(MeshRuntime runtime) {
    return () -> runtime.current() == null ? null : runtime.current().plan().mesh();
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

  /** Stops the watcher, HTTP, the triggers (each commits what it finished), the clients, then the broker. */
  @Override
  public void close() {
    node.close();
  }
}
