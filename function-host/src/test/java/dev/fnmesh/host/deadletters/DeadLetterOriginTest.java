package dev.fnmesh.host.deadletters;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterOriginTest {

  private static final ConsumerRecord<byte[], byte[]> ANY = new ConsumerRecord<>("orders.dlq", 0, 0, null, null);

  private static CloudEvent letter(String extension, Object value) {
    CloudEventBuilder builder = CloudEventBuilder.v1().withId("1").withSource(URI.create("/x")).withType("t")
        .withExtension(DeadLetterFields.TRIGGER, "orders");
    return (value instanceof Integer number ? builder.withExtension(extension, number)
        : builder.withExtension(extension, value.toString())).build();
  }

  @Test
  void aDeadLetterGoesBackToTheTopicItWasReadFrom() {
    DeadLetterOrigin origin = DeadLetterOrigin.of(ANY, letter(DeadLetterFields.ORIGIN_TOPIC, "orders.v1"));

    assertEquals("orders.v1", origin.writableTopic("orders.v2"));
    assertTrue(origin.ofTrigger("orders"));
    assertFalse(origin.ofTrigger("invoices"), "another trigger sharing the dead-letter topic leaves it alone");
  }

  @Test
  void aDeadLetterWrittenWithTheOneStringOriginIsReadToo() {
    DeadLetterOrigin origin = DeadLetterOrigin.of(ANY, letter(DeadLetterFields.LEGACY_ORIGIN, "orders.v1/3/1200"));

    assertEquals(Optional.of("orders.v1"), origin.topic());
  }

  @Test
  void anOriginAmongFnmeshsOrKafkasOwnTopicsOtherThanTheTriggersGoesToTheTriggersTopic() {
    assertEquals("orders", DeadLetterOrigin.of(ANY, letter(DeadLetterFields.ORIGIN_TOPIC, "fnmesh.state"))
        .writableTopic("orders"));
    assertEquals("orders", DeadLetterOrigin.of(ANY, letter(DeadLetterFields.ORIGIN_TOPIC, "__consumer_offsets"))
        .writableTopic("orders"));
    assertEquals("fnmesh.hook", DeadLetterOrigin.of(ANY, letter(DeadLetterFields.ORIGIN_TOPIC, "fnmesh.hook"))
        .writableTopic("fnmesh.hook"), "a webhook trigger's own topic");
  }

  @Test
  void aRecordThatIsNoCloudEventSaysWhereItCameFromInHeaders() {
    ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>("orders.dlq", 0, 0, null, null);
    raw.headers().add("fnmesh_origintopic", "orders".getBytes(StandardCharsets.UTF_8));
    raw.headers().add("fnmesh_trigger", "orders".getBytes(StandardCharsets.UTF_8));

    DeadLetterOrigin origin = DeadLetterOrigin.of(raw, null);

    assertEquals(new DeadLetterOrigin(Optional.of("orders"), Optional.of("orders")), origin);
  }

  @Test
  void aDeadLetterNamingNoOriginGoesToTheTriggersTopic() {
    assertEquals("orders", DeadLetterOrigin.of(ANY, letter("other", "x")).writableTopic("orders"));
  }
}
