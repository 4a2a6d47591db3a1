package dev.fnmesh.host.runtime;

import dev.fnmesh.broker.DeclaredTopics;
import dev.fnmesh.broker.EventPublisher;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.TopicAdmin;
import dev.fnmesh.broker.TopicSchemas;
import dev.fnmesh.broker.cron.CronScheduler;
import dev.fnmesh.broker.cron.CronSchedulerSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.broker.webhook.WebhookIngress;
import dev.fnmesh.broker.webhook.WebhookNormalizer;
import dev.fnmesh.host.FunctionCatalog;
import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.JarFunctions;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.deadletters.DeadLetterFields;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import dev.fnmesh.mesh.SequenceStep;
import dev.fnmesh.mesh.load.MeshLoader;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A trigger's {@code steps:} against a real broker: the planner runs one trigger per step, chained by internal
 * topics, each step's replies all flowing on, the last step's going to the trigger's reply; a step's failures
 * are dead-lettered naming the step.
 */
@ExtendWith(KafkaFixture.class)
class SequenceIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Vertx vertx = Vertx.vertx();
  private final KafkaSettings kafka = KafkaSettings.of(KafkaFixture.bootstrapServers());
  private final EventPublisher publisher = EventPublisher.create(vertx, kafka);
  private final TopicAdmin topics = TopicAdmin.create(vertx, kafka);
  private MeshRuntime runtime;
  private String topic;
  private String sequence;

  @BeforeEach
  void runASequenceOfThreeSteps() throws Exception {
    topic = KafkaFixture.uniqueTopic("sequence");
    sequence = "seq-" + Long.toHexString(System.nanoTime());
    String mesh = """
        functions:
          split: { java: dev.fnmesh.host.runtime.TrailStep, config: { mark: a, copies: 2 } }
          enrich: { java: dev.fnmesh.host.runtime.TrailStep, config: { mark: b } }
          finish: { java: dev.fnmesh.host.runtime.TrailStep, config: { mark: c } }
        triggers:
          %s:
            kafka: { topic: %s, partitions: 2 }
            steps: [ split, { function: enrich, delivery: { retry: 0, timeout: PT5S } }, finish ]
            reply: { topic: %s.out }
            scale: { min: 1, max: 1 }
        """.formatted(sequence, topic, topic);
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
    await().atMost(WAIT).until(() -> runtime.triggers().size() == 3
        && runtime.triggers().stream().allMatch(t -> t.state().equals("running") && t.replicas() == 1));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.executeBlocking(() -> runtime.stop(), false).compose(stopped -> stopped)
        .eventually(publisher::close).eventually(topics::close)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyEventPassesEveryStepInOrderAndEachReplyOfAStepFlowsOnToTheTriggersReply() throws Exception {
    join(publisher.publish(topic, List.of(event("e1", "order"), event("e2", "order"))));

    List<CloudEvent> out = read(topic + ".out", 4);

    assertEquals(List.of("e1-0", "e1-1", "e2-0", "e2-1"), out.stream().map(CloudEvent::getId).sorted().toList());
    out.forEach(reply -> assertEquals("a,b,c", reply.getExtension("trail")));
    assertEquals(List.of(sequence, sequence + "-step-2", sequence + "-step-3"),
        runtime.triggers().stream().map(TriggerStatus::name).toList());
    assertEquals(List.of(Optional.of(new SequenceStep(sequence, 1, 3)), Optional.of(new SequenceStep(sequence, 2, 3)),
        Optional.of(new SequenceStep(sequence, 3, 3))), runtime.triggers().stream().map(TriggerStatus::step).toList());
    assertEquals(List.of(SequenceStep.topic(sequence, 2)), runtime.triggers().get(0).replyTopics());
    JsonObject shown = MeshApi.triggersJson(runtime.triggers()).getJsonObject(1);
    assertEquals(new JsonObject().put("sequence", sequence).put("number", 2).put("steps", 3), shown.getJsonObject("step"));
    assertEquals("fnmesh.step." + sequence + ".2", shown.getString("topic"));
  }

  @Test
  void aStepThatFailsForGoodDeadLettersTheEventNamingTheStepAndTheOthersFlowOn() throws Exception {
    // Put straight on step 2's topic, as step 1 would pass it on: every step refuses a poison event.
    join(publisher.publish(SequenceStep.topic(sequence, 2), List.of(event("p1", "poison"))));
    join(publisher.publish(topic, List.of(event("ok", "order"))));

    List<CloudEvent> letters = read("fnmesh." + sequence + ".dlq", 1);
    List<CloudEvent> out = read(topic + ".out", 2);

    assertEquals("p1", letters.get(0).getId());
    assertEquals(sequence + "-step-2", letters.get(0).getExtension(DeadLetterFields.TRIGGER));
    assertEquals("permanent-failure", letters.get(0).getExtension(DeadLetterFields.ERROR_CODE));
    assertEquals(List.of("ok-0", "ok-1"), out.stream().map(CloudEvent::getId).sorted().toList());
  }

  private static CloudEvent event(String id, String type) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType(type).build();
  }

  /** The first {@code count} CloudEvents of the topic, read from the beginning; fails when they do not come in time. */
  private static List<CloudEvent> read(String topic, int count) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaFixture.consumerConfig(
        "read-" + System.nanoTime()))) {
      List<CloudEvent> events = new ArrayList<>();
      await().atMost(WAIT).until(() -> {
        if (consumer.assignment().isEmpty()) {
          List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition())).toList();
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          events.add(CloudEventRecords.fromRecord(record));
        }
        return events.size() >= count;
      });
      return events;
    }
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
