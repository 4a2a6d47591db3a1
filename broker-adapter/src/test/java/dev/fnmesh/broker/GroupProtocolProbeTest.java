package dev.fnmesh.broker;

import dev.fnmesh.broker.KafkaSettings.GroupProtocol;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class GroupProtocolProbeTest {

  @Test
  void aClusterWithGroupVersionOneOrAboveOffersTheConsumerProtocol() {
    assertEquals(GroupProtocol.CONSUMER, GroupProtocolProbe.protocolFor(Optional.of((short) 1)));
    assertEquals(GroupProtocol.CONSUMER, GroupProtocolProbe.protocolFor(Optional.of((short) 2)));
  }

  @Test
  void aClusterWithoutTheFeatureOrAtLevelZeroGetsTheClassicProtocol() {
    assertEquals(GroupProtocol.CLASSIC, GroupProtocolProbe.protocolFor(Optional.empty()));
    assertEquals(GroupProtocol.CLASSIC, GroupProtocolProbe.protocolFor(Optional.of((short) 0)));
  }

  @Test
  void consumersOnTheConsumerProtocolLeaveAssignmentToTheBroker() {
    Map<String, Object> config = KafkaSettings.of("k:9092").consumerConfig("c", "g", "earliest");
    assertEquals("consumer", config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
    assertFalse(config.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
  }

  @Test
  void consumersOnTheClassicProtocolRebalanceCooperatively() {
    Map<String, Object> config = KafkaSettings.of("k:9092").withGroupProtocol(GroupProtocol.CLASSIC)
        .consumerConfig("c", "g", "earliest");
    assertEquals("classic", config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
    assertEquals(CooperativeStickyAssignor.class.getName(), config.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
  }
}
