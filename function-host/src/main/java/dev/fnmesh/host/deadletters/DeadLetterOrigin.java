package dev.fnmesh.host.deadletters;

import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a dead letter was read and by which trigger: from an event's extensions, or fnmesh's headers on a
 * record that is no CloudEvent. Dead letters written before the origin was split in three carry it as one
 * {@code topic/partition/offset}: read too.
 *
 * @param topic the topic it was read from, when it says
 * @param trigger the trigger that dead-lettered it, when it says
 */
record DeadLetterOrigin(Optional<String> topic, Optional<String> trigger) {

  /** @param event the dead letter as a CloudEvent; null for a record that is none */
  static DeadLetterOrigin of(ConsumerRecord<byte[], byte[]> record, CloudEvent event) {
    Optional<String> topic = field(record, event, DeadLetterFields.ORIGIN_TOPIC)
        .or(() -> field(record, event, DeadLetterFields.LEGACY_ORIGIN).map(DeadLetterOrigin::legacyTopic));
    return new DeadLetterOrigin(topic, field(record, event, DeadLetterFields.TRIGGER));
  }

  /** Whether the trigger may redrive it: it names the trigger, or no trigger at all. */
  boolean ofTrigger(String name) {
    return trigger.map(name::equals).orElse(true);
  }

  /**
   * The topic to put it back on: its origin, unless it names none, or one of fnmesh's or Kafka's own topics
   * other than the trigger's (a record anyone may have written must not reach the state topic): then the
   * trigger's.
   */
  String writableTopic(String triggerTopic) {
    return topic.filter(origin -> origin.equals(triggerTopic)
        || !(origin.startsWith("fnmesh.") || origin.startsWith("__"))).orElse(triggerTopic);
  }

  // Topic names hold no slash, so the topic is all before the partition's.
  private static String legacyTopic(String origin) {
    int slash = origin.indexOf('/');
    return slash < 0 ? origin : origin.substring(0, slash);
  }

  private static Optional<String> field(ConsumerRecord<byte[], byte[]> record, CloudEvent event, String extension) {
    if (event != null) {
      return Optional.ofNullable(event.getExtension(extension)).map(Object::toString);
    }
    Header header = record.headers().lastHeader(DeadLetterFields.header(extension));
    return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
