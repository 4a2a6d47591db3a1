package dev.fnmesh.broker.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The records of the compacted state topic: key the trigger name, value {@code {"lastFired":"<instant>"}},
 * the scheduled instant of the trigger's latest fired tick. JSON leaves room for more fields later.
 */
final class CronStateRecords {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LAST_FIRED = "lastFired";

  /** The state lives in partition 0 only: the partition whose owner is the leader. */
  static final int PARTITION = 0;

  private CronStateRecords() {}

  static ProducerRecord<byte[], byte[]> record(String stateTopic, String trigger, Instant lastFired) {
    byte[] value = JSON.createObjectNode().put(LAST_FIRED, lastFired.toString()).toString()
        .getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(stateTopic, PARTITION, trigger.getBytes(StandardCharsets.UTF_8), value);
  }

  /** The tombstone that removes a trigger's state: compaction then drops the trigger's records. */
  static ProducerRecord<byte[], byte[]> tombstone(String stateTopic, String trigger) {
    return new ProducerRecord<>(stateTopic, PARTITION, trigger.getBytes(StandardCharsets.UTF_8), null);
  }

  /** The trigger name of a state record, empty for a record without key. */
  static Optional<String> trigger(ConsumerRecord<byte[], byte[]> record) {
    return Optional.ofNullable(record.key()).map(key -> new String(key, StandardCharsets.UTF_8));
  }

  /**
   * The last fired instant of a state record; empty for a tombstone.
   *
   * @throws IllegalArgumentException when the value is no state record
   */
  static Optional<Instant> lastFired(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return Optional.empty();
    }
    try {
      JsonNode value = JSON.readTree(record.value());
      JsonNode lastFired = value == null ? null : value.get(LAST_FIRED);
      if (lastFired == null || !lastFired.isTextual()) {
        throw new IllegalArgumentException("state record has no text field '" + LAST_FIRED + "'");
      }
      return Optional.of(Instant.parse(lastFired.asText()));
    } catch (IOException | DateTimeParseException e) {
      throw new IllegalArgumentException("state record is not {\"" + LAST_FIRED + "\":\"<ISO-8601 instant>\"}: "
          + e.getMessage(), e);
    }
  }
}
