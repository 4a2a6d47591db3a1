package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicReport;
import dev.fnmesh.mesh.TopicSettings;
import dev.fnmesh.mesh.load.MeshLoader;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trigger whose topics could not be made ready is shown as failed and started again until it runs. */
class DeployingReconcilerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aTriggerThatFailedToStartIsStartedAgainAfterTheRetryDelay() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // Kafka "down" for the first two attempts; a trigger at zero replicas needs nothing else of Kafka.
    TopicAdmin topics = new TopicAdmin() {
      @Override
      public Future<TopicReport> ensureTopic(String topic, TopicSettings settings) {
        return calls.incrementAndGet() <= 2
            ? Future.failedFuture(new IllegalStateException("Kafka topic '" + topic + "' is not served after 10 s"))
            : Future.succeededFuture(new TopicReport(topic, true, settings.partitions(), 1, 1));
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    DeployingReconciler reconciler = new DeployingReconciler(vertx, KafkaSettings.of("127.0.0.1:1"), topics, null,
        new FunctionCatalog(), MeshPlan.PlannedTrigger::initialReplicas, Duration.ofMillis(500));

    Throwable failure = reconciler.reconcile(plan()).toCompletionStage().toCompletableFuture()
        .handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    assertTrue(failure != null && failure.getMessage().contains("trigger 'work' could not start"), String.valueOf(failure));
    TriggerStatus failed = reconciler.status().get(0);
    assertEquals("failed", failed.state());
    assertTrue(failed.error().orElseThrow().contains("is not served"), failed.error().toString());

    // Between the stop and the start of a retry the trigger is briefly not listed.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> reconciler.status().get(0).state().equals("running"));
    assertTrue(calls.get() >= 3, "started again until the topics were ready, calls=" + calls.get());
  }

  @Test
  void aTriggerBeingStartedAgainShowsFailedWithItsLastReasonUntilItRuns() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Promise<TopicReport> secondTry = Promise.promise();
    TopicAdmin topics = new TopicAdmin() {
      @Override
      public Future<TopicReport> ensureTopic(String topic, TopicSettings settings) {
        if (!topic.equals("work")) {
          return Future.succeededFuture(new TopicReport(topic, true, settings.partitions(), 1, 1));
        }
        return calls.incrementAndGet() == 1
            ? Future.failedFuture(new IllegalStateException("Kafka topic 'work': could not create it: refused"))
            : secondTry.future();
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    DeployingReconciler reconciler = new DeployingReconciler(vertx, KafkaSettings.of("127.0.0.1:1"), topics, null,
        new FunctionCatalog(), MeshPlan.PlannedTrigger::initialReplicas, Duration.ofMillis(100));
    reconciler.reconcile(plan()).toCompletionStage().toCompletableFuture().handle((ok, error) -> error)
        .get(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
    TriggerStatus retrying = reconciler.status().get(0);
    assertEquals("failed", retrying.state());
    assertTrue(retrying.error().orElseThrow().contains("could not create it: refused"), retrying.error().toString());

    vertx.runOnContext(v -> secondTry.complete(new TopicReport("work", true, 2, 1, 1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> reconciler.status().get(0).state().equals("running"));
    assertTrue(reconciler.status().get(0).error().isEmpty());
  }

  @Test
  void theTopicsOfEveryTriggerStartingTogetherAreAskedForInOneGo() throws Exception {
    List<Set<String>> asked = new CopyOnWriteArrayList<>();
    TopicAdmin topics = new TopicAdmin() {
      @Override
      public Future<TopicReport> ensureTopic(String topic, TopicSettings settings) {
        return ensureTopics(Map.of(topic, settings)).get(topic);
      }

      @Override
      public Map<String, Future<TopicReport>> ensureTopics(Map<String, TopicSettings> wanted) {
        asked.add(wanted.keySet());
        Map<String, Future<TopicReport>> reports = new HashMap<>();
        wanted.forEach((topic, settings) -> reports.put(topic,
            Future.succeededFuture(new TopicReport(topic, true, settings.partitions(), 1, 1))));
        return reports;
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    DeployingReconciler reconciler = new DeployingReconciler(vertx, KafkaSettings.of("127.0.0.1:1"), topics, null,
        new FunctionCatalog(), MeshPlan.PlannedTrigger::initialReplicas, Duration.ofMillis(500));

    reconciler.reconcile(plan("""
        functions:
          identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
        triggers:
          first:
            kafka: { topic: first, partitions: 2 }
            function: identity
            reply: { topic: first.replies }
          second:
            kafka: { topic: second, partitions: 1 }
            function: identity
        """)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of(Set.of("first", "fnmesh.first.dlq", "first.replies", "second", "fnmesh.second.dlq")), asked);
    assertEquals(List.of("running", "running"), reconciler.status().stream().map(TriggerStatus::state).toList());
  }

  private MeshPlan plan() {
    return plan("""
        functions:
          identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
        triggers:
          work:
            kafka: { topic: work, partitions: 2 }
            function: identity
        """);
  }

  private MeshPlan plan(String mesh) {
    MeshPlanner planner = MeshPlanner.create(vertx, getClass().getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
    return planner.plan(new MeshLoader().parse(mesh, "test"));
  }
}
