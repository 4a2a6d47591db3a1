package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A topic written by a plain transactional Kafka producer: commit and abort markers take offsets but are
 * no records, and an aborted transaction's records are never delivered; neither counts as lag, so a trigger
 * that handled every committed event shows lag 0 and scales to zero.
 */
class TransactionalLagIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int PARTITIONS = 4;

  @Test
  void committedAndAbortedTransactionsDrainToZeroLagAndTheTriggerScalesToZero() throws Exception {
    String topic = KafkaFixture.uniqueTopic("tx-lag");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          tx:
            kafka: { topic: %1$s, partitions: %2$d }
            function: echo
            reply: { topic: %1$s.replies }
            scale: { cooldown: PT0.5S, pollInterval: PT0.2S }
        """.formatted(topic, PARTITIONS))) {
      Map<String, Object> config = KafkaFixture.producerConfig();
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
        producer.initTransactions();
        transaction(producer, topic, "first", 0, 1, 2, 0, 1);
        transaction(producer, topic, "aborted", 0, 1, 2, 3);
        producer.abortTransaction();
        transaction(producer, topic, "second", 1, 2);
        // Partition 3 holds an aborted transaction only; the last word on partition 0 is an abort.
        transaction(producer, topic, "last-aborted", 0);
        producer.abortTransaction();
      }
      List<String> committed = List.of("first-0", "first-1", "first-2", "first-3", "first-4", "second-0", "second-1");
      Set<String> replied = TestMesh.readEventsWithIds(topic + ".replies", committed, WAIT).stream()
          .map(CloudEvent::getId).collect(Collectors.toSet());
      assertEquals(Set.copyOf(committed), replied, "exactly the committed transactions' events are handled");

      try {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
            .until(() -> scaling(mesh).getLong("lag") == 0 && trigger(mesh).getInteger("replicas") == 0);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> lagMetric(mesh) == 0);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("no lag 0 and scale to zero; the trigger shows " + trigger(mesh).encode()
            + ", /metrics lag " + lagMetric(mesh), e);
      }
    }
  }

  /** Begins a transaction and sends one event per listed partition; commits unless its prefix says "aborted". */
  private static void transaction(KafkaProducer<byte[], byte[]> producer, String topic, String prefix,
      int... partitions) throws Exception {
    producer.beginTransaction();
    for (int i = 0; i < partitions.length; i++) {
      CloudEvent event = CloudEventBuilder.v1().withId(prefix + "-" + i).withSource(URI.create("/tx"))
          .withType("t").withData("text/plain", "x".getBytes(StandardCharsets.UTF_8)).build();
      ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord(topic, event, null);
      producer.send(new ProducerRecord<>(topic, partitions[i], record.key(), record.value(), record.headers())).get();
    }
    if (!prefix.contains("aborted")) {
      producer.commitTransaction();
    }
  }

  private static long lagMetric(TestMesh mesh) {
    String metrics = mesh.send(mesh.request("/metrics").GET()).body();
    Matcher lag = Pattern.compile("(?m)^fnmesh_trigger_lag\\{trigger=\"tx\"} (\\S+)$").matcher(metrics);
    return lag.find() ? (long) Double.parseDouble(lag.group(1)) : -1;
  }

  private static JsonObject scaling(TestMesh mesh) {
    return trigger(mesh).getJsonObject("scaling");
  }

  private static JsonObject trigger(TestMesh mesh) {
    return new JsonObject(mesh.send(mesh.request("/api/triggers").GET()).body()).getJsonArray("triggers").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("tx")).findFirst().orElseThrow();
  }
}
