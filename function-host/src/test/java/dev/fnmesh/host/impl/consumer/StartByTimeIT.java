package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code startFrom: { timestamp: T }}: a trigger whose group has committed nothing reads each partition from
 * its first event at or after T, and a partition with no event that recent from its end.
 */
class StartByTimeIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Instant START = Instant.now().minus(Duration.ofHours(1));
  private TriggerHarness harness;
  private String topic;

  @BeforeEach
  void topics() {
    harness = new TriggerHarness();
    topic = KafkaFixture.uniqueTopic("by-time");
    KafkaFixture.createTopic(topic, 2);
  }

  @AfterEach
  void stop() throws Exception {
    harness.close();
  }

  @Test
  void aTriggerWithoutCommitsStartsAtTheFirstEventAtOrAfterTheTime() throws Exception {
    writeAt(0, "before-on-0", START.minus(Duration.ofMinutes(30)));
    writeAt(0, "after-on-0", START.plus(Duration.ofMinutes(10)));
    writeAt(1, "before-on-1", START.minus(Duration.ofMinutes(5)));
    Set<String> received = ConcurrentHashMap.newKeySet();
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.empty(), START.toString());
    KafkaFixture.createTopic(settings.delivery().deadLetterTopic(), 1);
    harness.deploy(settings, (event, ctx) -> {
      received.add(event.getId());
      return Future.succeededFuture();
    });

    await().atMost(WAIT).until(() -> received.contains("after-on-0"));
    // Partition 1 has nothing that recent: it starts at its end, so what is published now is read, and nothing older.
    writeAt(1, "later-on-1", Instant.now());
    await().atMost(WAIT).until(() -> received.contains("later-on-1"));
    assertEquals(Set.of("after-on-0", "later-on-1"), received);
  }

  private void writeAt(int partition, String id, Instant time) throws Exception {
    ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord(topic, TriggerHarness.event(id, "t"), null);
    harness.write(new ProducerRecord<>(topic, partition, time.toEpochMilli(), (byte[]) null, record.value(), record.headers()));
  }
}
