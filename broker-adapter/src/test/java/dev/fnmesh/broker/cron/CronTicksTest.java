package dev.fnmesh.broker.cron;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.mesh.TriggerSpec;
import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CronTicksTest {

  private static final Instant SCHEDULED = Instant.parse("2025-03-30T01:00:00Z");

  @Test
  void theIdIsTheTriggerAndTheScheduledInstantInUtc() {
    assertEquals("tick:2025-03-30T01:00:00Z", CronTicks.id("tick", SCHEDULED));
    assertEquals("tick:2025-03-30T01:00:00.500Z", CronTicks.id("tick", SCHEDULED.plusMillis(500)));
  }

  @Test
  void aTickWithDefaultsHasTheDefaultTypeTheCronSourceTheScheduledTimeAndNoData() {
    CloudEvent event = CronTicks.event(CronTrigger.of("tick", "@hourly").spec(), SCHEDULED);

    assertEquals("1.0", event.getSpecVersion().toString());
    assertEquals("tick:2025-03-30T01:00:00Z", event.getId());
    assertEquals("dev.fnmesh.cron.tick", event.getType());
    assertEquals(URI.create("/cron/tick"), event.getSource());
    assertEquals(OffsetDateTime.parse("2025-03-30T01:00:00Z"), event.getTime());
    assertNull(event.getData());
    assertNull(event.getDataContentType());
  }

  @Test
  void aTickCarriesTheConfiguredTypeAndDataAsJsonAndItsTimeInUtcWhateverTheZone() {
    TriggerSpec trigger = CronTrigger.of("report", "0 9 * * *").withType("com.example.report.due")
        .withData("{\"kind\":\"daily\"}").withTimezone(ZoneId.of("Europe/London")).spec();

    CloudEvent event = CronTicks.event(trigger, SCHEDULED);

    assertEquals("com.example.report.due", event.getType());
    assertEquals("application/json", event.getDataContentType());
    assertArrayEquals("{\"kind\":\"daily\"}".getBytes(StandardCharsets.UTF_8), event.getData().toBytes());
    assertEquals(OffsetDateTime.parse("2025-03-30T01:00:00Z"), event.getTime());
  }

  @Test
  void theRecordIsInBinaryModeKeyedByTriggerOnTheTriggersTopic() {
    TriggerSpec trigger = CronTrigger.of("tick", "@hourly").withTopic("ticks", 3)
        .withData("[1,2]").spec();

    ProducerRecord<byte[], byte[]> record = CronTicks.record(trigger, SCHEDULED);

    assertEquals("ticks", record.topic());
    assertArrayEquals("tick".getBytes(StandardCharsets.UTF_8), record.key());
    assertArrayEquals("[1,2]".getBytes(StandardCharsets.UTF_8), record.value());
    assertEquals("tick:2025-03-30T01:00:00Z", header(record, "ce_id"));
    assertEquals("/cron/tick", header(record, "ce_source"));
    assertEquals("dev.fnmesh.cron.tick", header(record, "ce_type"));
    assertEquals("2025-03-30T01:00:00Z", header(record, "ce_time"));
    assertEquals("application/json", header(record, "content-type"));
    CloudEvent read = CloudEventRecords.fromRecord(new ConsumerRecord<>(record.topic(), 0, 0, 0,
        TimestampType.CREATE_TIME, 0, 0, record.key(), record.value(), record.headers(), Optional.empty()));
    assertEquals(CronTicks.event(trigger, SCHEDULED), read);
  }

  @Test
  void aTickWithoutDataHasAnEmptyValueAndNoContentType() {
    ProducerRecord<byte[], byte[]> record = CronTicks.record(CronTrigger.of("tick", "@hourly").spec(), SCHEDULED);

    assertNull(record.value());
    assertNull(record.headers().lastHeader("content-type"));
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
