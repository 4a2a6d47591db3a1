package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.GroupProtocolProbe;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.KafkaSettings.GroupProtocol;
import dev.fnmesh.host.TriggerSettings;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas share a trigger's partitions with the group protocol the brokers offer: Kafka 4's consumer
 * protocol where it is enabled, the classic protocol with cooperative rebalancing on older clusters.
 */
class GroupProtocolIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aKafka4BrokerOffersTheConsumerGroupProtocol() {
    KafkaSettings probed = GroupProtocolProbe.probe(KafkaSettings.of(KafkaFixture.bootstrapServers()), Duration.ofSeconds(10));
    assertEquals(GroupProtocol.CONSUMER, probed.groupProtocol());
  }

  @Test
  void replicasOnTheClassicProtocolShareThePartitionsAndHandleEveryEventThroughARebalance() throws Exception {
    String topic = KafkaFixture.uniqueTopic("classic");
    String replies = topic + ".replies";
    KafkaFixture.createTopic(topic, 4);
    KafkaFixture.createTopic(replies, 4);
    TriggerSettings settings = TriggerSettings.of(topic, topic, "fn", Optional.of(replies), "earliest");
    KafkaFixture.createTopic(settings.delivery().deadLetterTopic(), 4);
    KafkaSettings classic = KafkaSettings.of(KafkaFixture.bootstrapServers()).withGroupProtocol(GroupProtocol.CLASSIC);
    try (TriggerHarness harness = new TriggerHarness(classic)) {
      String first = harness.deploy(settings, (event, ctx) -> Future.succeededFuture(event));
      harness.deploy(settings, (event, ctx) -> Future.succeededFuture(event));
      write(harness, topic, 0, 200);
      assertAllReplied(replies, 0, 200);

      harness.undeploy(first);
      write(harness, topic, 200, 400);
      assertAllReplied(replies, 0, 400);
    }
  }

  private static void write(TriggerHarness harness, String topic, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      harness.write(topic, TriggerHarness.event("e" + i, "t"));
    }
  }

  private static void assertAllReplied(String replies, int from, int to) {
    Set<String> wanted = IntStream.range(from, to).mapToObj(i -> "e" + i).collect(Collectors.toSet());
    Set<String> replied = TriggerHarness.readIds(replies, wanted, WAIT).stream().map(CloudEvent::getId)
        .collect(Collectors.toSet());
    assertTrue(replied.containsAll(wanted), "not replied: " + wanted.stream().filter(id -> !replied.contains(id)).limit(10).toList());
  }
}
