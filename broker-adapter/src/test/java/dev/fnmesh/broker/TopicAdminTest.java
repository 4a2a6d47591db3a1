package dev.fnmesh.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic names follow Kafka's own rule, so a bad name is refused before Kafka is asked. */
class TopicAdminTest {

  @ParameterizedTest
  @ValueSource(strings = {"orders", "o", "Orders.v1", "orders_dead-letter", "0123456789", "..."})
  void acceptsALegalTopicName(String topic) {
    assertNull(TopicAdmin.checkName(topic));
  }

  @Test
  void acceptsATopicNameOfExactly249Characters() {
    assertNull(TopicAdmin.checkName("t".repeat(249)));
  }

  @Test
  void refusesATopicNameOf250Characters() {
    assertNotNull(TopicAdmin.checkName("t".repeat(250)));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {".", "..", "orders v1", "orders/v1", "orders:v1", "bestellungen-ü", "orders\n"})
  void refusesAnIllegalTopicName(String topic) {
    assertNotNull(TopicAdmin.checkName(topic));
  }

  @Test
  void explainsTheRuleWhenRefusingAName() {
    assertEquals("topic 'orders v1' is not a legal Kafka topic name: 1 to 249 of the characters a-z A-Z 0-9 . _ -"
        + " (and not '.' or '..')", TopicAdmin.checkName("orders v1"));
  }
}
