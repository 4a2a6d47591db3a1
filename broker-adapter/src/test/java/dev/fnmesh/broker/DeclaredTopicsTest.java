package dev.fnmesh.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.fnmesh.mesh.TopicSettings.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which topics the ingress lets events be published to, and how it words a refusal. */
class DeclaredTopicsTest {

  private final DeclaredTopics declared = new DeclaredTopics();

  @Test
  void shouldLetADeclaredTopicBePublishedToWithItsSettings() {
    declared.replace(Map.of("audit", of(3), "orders", of(8)));

    assertEquals(new DeclaredTopics.Lookup.Publishable(of(3)), declared.lookup("audit"));
  }

  @Test
  void shouldRefuseAnUndeclaredTopicListingTheDeclaredOnesInOrder() {
    declared.replace(Map.of("orders", of(8), "audit", of(3), "greetings", of(8)));

    assertEquals(refused("no topic 'x' is declared in the mesh; declared: audit, greetings, orders"),
        declared.lookup("x"));
  }

  @Test
  void shouldRefuseEveryTopicBeforeAnyMeshIsDeclared() {
    assertEquals(refused("no topic 'x' is declared in the mesh; declared: none"), declared.lookup("x"));
  }

  @Test
  void shouldForgetATopicTheNextMeshNoLongerDeclares() {
    declared.replace(Map.of("audit", of(3), "orders", of(8)));
    declared.replace(Map.of("orders", of(8)));

    assertEquals(refused("no topic 'audit' is declared in the mesh; declared: orders"), declared.lookup("audit"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"fnmesh.state", "fnmesh.cron", "fnmesh.hook", "fnmesh.in.dlq"})
  void shouldRefuseFnmeshsOwnTopicsEvenWhenDeclared(String topic) {
    declared.replace(Map.of(topic, of(1)));

    assertEquals(refused("topic '" + topic + "' is internal to fnmesh (its state, cron, webhook, cron trigger, "
        + "sequence step and dead-letter topics start with 'fnmesh.') and cannot be published to over HTTP"), declared.lookup(topic));
  }

  @ParameterizedTest
  @ValueSource(strings = {"__consumer_offsets", "__transaction_state"})
  void shouldRefuseKafkasOwnTopicsEvenWhenDeclared(String topic) {
    declared.replace(Map.of(topic, of(1), "orders", of(8)));

    assertEquals(refused("topic '" + topic + "' is internal to Kafka and cannot be published to over HTTP"),
        declared.lookup(topic));
    assertEquals(refused("no topic 'x' is declared in the mesh; declared: orders"), declared.lookup("x"));
  }

  private static DeclaredTopics.Lookup refused(String message) {
    return new DeclaredTopics.Lookup.Refused(new EventProblem(404, "topic", message));
  }
}
