package dev.fnmesh.host.impl.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fnmesh.host.HostedFunction;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.host.impl.process.TestCommands;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka trigger whose function is a process: one child process per replica, started before the replica
 * consumes and stopped after it, none while the trigger has no replica.
 */
class ProcessTriggerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private final TriggerHarness harness = new TriggerHarness();
  private final String marker = "--fnmesh-test=" + UUID.randomUUID();

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  /** The live processes started for this test, recognised by the marker argument of their command. */
  private long processes() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
        .count();
  }

  @Test
  void runsOneProcessPerReplicaAndNoneOnceTheReplicasStopped() throws Exception {
    String topic = KafkaFixture.uniqueTopic("process-trigger");
    String replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 2);
    KafkaFixture.createTopic(replies, 1);
    KafkaFixture.createTopic("fnmesh." + topic + ".dlq", 1);
    HostedFunction echo = TestCommands.declared("echo", TestCommands.echo(marker), harness.vertx);
    TriggerSettings settings = TriggerSettings.of(topic, topic, "echo", Optional.of(replies), "earliest");
    assertEquals(0, processes());

    String first = deploy(settings, echo);
    String second = deploy(settings, echo);
    long whileRunning = processes();
    for (int i = 0; i < 6; i++) {
      harness.write(topic, TriggerHarness.event("e-" + i, "com.example.t"));
    }
    // Two replicas joining one group may redeliver an event during the rebalance: wait for every id.
    List<CloudEvent> echoed = TriggerHarness.readIds(replies, Set.of("e-0", "e-1", "e-2", "e-3", "e-4", "e-5"), WAIT);
    harness.undeploy(first);
    long afterOneStopped = processes();
    harness.undeploy(second);

    assertEquals(2, whileRunning);
    assertEquals(Set.of("e-0", "e-1", "e-2", "e-3", "e-4", "e-5"), ids(echoed));
    assertEquals(1, afterOneStopped);
    assertEquals(0, processes());
  }

  private String deploy(TriggerSettings settings, HostedFunction function) throws Exception {
    return harness.vertx.deployVerticle(new KafkaTriggerVerticle(settings, harness.kafka, function, harness.publisher,
        harness.stats, harness.health)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static Set<String> ids(List<CloudEvent> events) {
    Set<String> ids = new TreeSet<>();
    events.forEach(event -> ids.add(event.getId()));
    return ids;
  }
}
