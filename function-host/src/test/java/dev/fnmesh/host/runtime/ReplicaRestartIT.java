package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.load.MeshLoader;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica whose consumer thread dies is replaced: the trigger shows {@code restarting} with why until
 * the new consumer runs, then {@code running}, and every event is handled.
 */
@ExtendWith(KafkaFixture.class)
class ReplicaRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Vertx vertx = Vertx.vertx();
  private final String topic = KafkaFixture.uniqueTopic("restart");
  private final String trigger = "work-" + topic;
  private TopicAdmin topics;
  private EventPublisher publisher;
  private DeployingReconciler reconciler;

  @AfterEach
  void stop() throws Exception {
    Future<Void> stopped = reconciler == null ? Future.succeededFuture() : reconciler.stopAll();
    stopped.eventually(publisher::close).eventually(topics::close)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReplicaWhoseConsumerThreadDiedShowsRestartingUntilItsReplacementRunsAndHandlesEveryEvent() throws Exception {
    Path marker = Files.createTempFile("crash-once", ".marker");
    KafkaSettings crashingOnce = new KafkaSettings(KafkaFixture.bootstrapServers(), Map.of(
        "consumer.interceptor.classes", CrashOnceInterceptor.class.getName(),
        "consumer." + CrashOnceInterceptor.MARKER, marker.toString()));
    topics = TopicAdmin.create(vertx, crashingOnce);
    publisher = EventPublisher.create(vertx, crashingOnce);
    reconciler = new DeployingReconciler(vertx, crashingOnce, topics, publisher, new FunctionCatalog(),
        MeshPlan.PlannedTrigger::initialReplicas);
    join(reconciler.reconcile(plan()));
    await().atMost(WAIT).until(() -> status().state().equals("running") && status().replicas() == 1);

    Set<String> ids = IntStream.range(0, 10).mapToObj(i -> "e-" + i).collect(Collectors.toSet());
    join(publisher.publish(topic, ids.stream().map(ReplicaRestartIT::event).toList()));

    // The Error goes on to the thread's uncaught-exception handler, which Awaitility would take for the test's.
    await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> status().state().equals("restarting"));
    TriggerStatus restarting = status();
    assertTrue(restarting.error().orElseThrow().contains("the consumer thread dies, as the test asked"),
        restarting.error().toString());
    assertEquals(1, restarting.replicas(), "the replica is still there, its consumer is replaced");
    assertTrue(Files.notExists(marker), "the consumer died of the test's error");

    await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> status().state().equals("running"));
    assertEquals(Set.of(), missing(topic + ".replies", ids));
  }

  private TriggerStatus status() {
    return reconciler.status().stream().filter(s -> s.name().equals(trigger)).findFirst().orElseThrow();
  }

  private MeshPlan plan() {
    MeshPlanner planner = MeshPlanner.create(vertx, getClass().getClassLoader(), new JarFunctions(Path.of("target")),
        Path.of("../examples/schemas"), () -> Path.of("."), ProcessRecords.NONE, FunctionContainers.PLAN_ONLY);
    return planner.plan(new MeshLoader().parse("""
        functions:
          identity: { java: dev.fnmesh.host.runtime.IdentityFunction }
        triggers:
          %s:
            kafka: { topic: %s, partitions: 2 }
            function: identity
            reply: { topic: %s.replies }
            scale: { min: 1, max: 1 }
        """.formatted(trigger, topic, topic), "test"));
  }

  private static CloudEvent event(String id) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType("t").build();
  }

  /** The ids not replied to within the wait. */
  private static Set<String> missing(String replies, Set<String> ids) {
    Set<String> left = new HashSet<>(ids);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig("read-" + System.nanoTime()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(replies).stream()
          .map(p -> new TopicPartition(replies, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!left.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          left.remove(CloudEventRecords.fromRecord(record).getId());
        }
      }
    }
    return left;
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
