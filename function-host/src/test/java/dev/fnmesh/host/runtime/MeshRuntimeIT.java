package dev.fnmesh.host.runtime;

import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.cron.CronScheduler;
import dev.fnmesh.broker.cron.CronSchedulerSettings;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.webhook.WebhookIngress;
import dev.fnmesh.broker.webhook.WebhookNormalizer;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.load.MeshLoader;
import dev.fnmesh.mesh.MeshProblem;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one way to change what runs, against a real broker: a mesh applied runs; a mesh that is invalid or
 * cannot be planned, and the same mesh again, change nothing that runs. A trigger started again would start
 * with fresh event counts, so an unchanged count shows that its replicas were left alone.
 */
@ExtendWith(KafkaFixture.class)
class MeshRuntimeIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Vertx vertx = Vertx.vertx();
  private final KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
  private final EventPublisher publisher = EventPublisher.create(vertx, kafka);
  private final TopicAdmin topics = TopicAdmin.create(vertx, kafka);
  private MeshRuntime runtime;
  private String topic;
  private String trigger;
  private String mesh;

  @BeforeEach
  void runAMeshThatHandledOneEvent() throws Exception {
    topic = KafkaFixture.uniqueTopic("runtime");
    trigger = "work-" + topic;
    mesh = """
        functions:
          identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
        triggers:
          %s:
            kafka: { topic: %s, partitions: 2 }
            function: identity
            scale: { min: 1, max: 1 }
        """.formatted(trigger, topic);
    FunctionCatalog catalog = new FunctionCatalog();
    TopicSchemas topicSchemas = new TopicSchemas();
    MeshReconciler reconciler = MeshReconciler.create(vertx, kafka, topics, publisher, catalog);
    WebhookIngress webhooks = new WebhookIngress(new WebhookNormalizer(), publisher, topics, 1024 * 1024,
        topicSchemas::check);
    CronScheduler cron = new CronScheduler(kafka, new CronSchedulerSettings(topic + ".cron", topic + ".cron",
        topic + ".cron", CronSchedulerSettings.DEFAULT_LATE_TOLERANCE), StateSignatures.none());
    MeshPlanner planner = MeshPlanner.create(vertx, getClass().getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
    runtime = new MeshRuntime(vertx, new MeshLoader(), planner,
        new LocalMesh(reconciler, webhooks, cron, topicSchemas, new DeclaredTopics(), new FixedReplicas()));

    join(runtime.apply(mesh, "mesh.yaml"));
    await().atMost(WAIT).until(() -> status().state().equals("running") && status().replicas() == 1);
    join(publisher.publish(topic, List.of(CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test"))
        .withType("t").build())));
    await().atMost(WAIT).until(() -> status().stats().received() == 1);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.executeBlocking(() -> runtime.stop(), false).compose(stopped -> stopped)
        .eventually(publisher::close).eventually(topics::close)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void anAppliedMeshIsTheRunningOneAndItsTriggersHandleEvents() {
    assertEquals(mesh, runtime.current().text());
    assertEquals("mesh.yaml", runtime.current().source());
    assertEquals(List.of(trigger), runtime.triggers().stream().map(TriggerStatus::name).toList());
    assertEquals(1, status().stats().succeeded());
  }

  @Test
  void anInvalidMeshIsRefusedNamingTheKeyAndWhatRunsStays() throws Exception {
    MeshRuntime.Applied before = runtime.current();
    String invalid = mesh.replace("partitions: 2", "partitions: many");

    Throwable refused = failure(runtime.apply(invalid, "PUT /api/mesh"));

    MeshException problems = assertInstanceOf(MeshException.class, refused);
    assertEquals(MeshException.Kind.INVALID, problems.kind());
    assertEquals(List.of("triggers." + trigger + ".kafka.partitions"),
        problems.problems().stream().map(MeshProblem::key).toList(), problems.getMessage());
    assertSame(before, runtime.current());
    assertUnchanged();
  }

  @Test
  void aMeshThatCannotBePlannedIsRefusedNamingTheFunctionAndWhatRunsStays() throws Exception {
    MeshRuntime.Applied before = runtime.current();
    String unplannable = mesh.replace("dev.fnmesh.host.runtime.IdentityFunction", "dev.fnmesh.NoSuchFunction");

    Throwable refused = failure(runtime.apply(unplannable, "PUT /api/mesh"));

    MeshException cannotRun = assertInstanceOf(MeshException.class, refused);
    assertEquals(MeshException.Kind.CANNOT_RUN_HERE, cannotRun.kind());
    assertEquals(List.of("functions.identity"), cannotRun.problems().stream().map(MeshProblem::key).toList());
    assertTrue(refused.getMessage().contains("identity") && refused.getMessage().contains("dev.fnmesh.NoSuchFunction"),
        refused.getMessage());
    assertSame(before, runtime.current());
    assertUnchanged();
  }

  @Test
  void theSameMeshAppliedAgainIsNoNewGenerationAndRestartsNothing() throws Exception {
    MeshRuntime.Applied before = runtime.current();

    join(runtime.apply(mesh, "PUT /api/mesh"));

    assertSame(before, runtime.current());
    assertUnchanged();
  }

  @Test
  void aReloadOfTheSameMeshIsTheNextGenerationAndRestartsNothing() throws Exception {
    long before = runtime.current().generation();

    join(runtime.reload(mesh, "mesh.yaml"));

    assertEquals(before + 1, runtime.current().generation());
    assertUnchanged();
  }

  // Still running with its one replica, and the event counts of before: nothing was started again.
  private void assertUnchanged() {
    TriggerStatus status = status();
    assertEquals("running", status.state());
    assertEquals(1, status.replicas());
    assertEquals(1, status.stats().received(), "a trigger started again would count from 0");
  }

  private TriggerStatus status() {
    List<TriggerStatus> all = runtime.triggers();
    return all.stream().filter(s -> s.name().equals(trigger)).findFirst()
        .orElseThrow(() -> new AssertionError("trigger " + trigger + " is not running: " + all));
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return failed.getCause();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
