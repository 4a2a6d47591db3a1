package dev.fnmesh.broker.cron;

import dev.fnmesh.mesh.TriggerSpec;
import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.broker.impl.CloudEventRecords;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The event of one tick. Its id is a function of the trigger and the scheduled instant, so the same tick
 * fired twice is recognisably a duplicate; its time is the scheduled instant, not the moment it fired.
 */
public final class CronTicks {

  public static final String JSON = "application/json";

  private CronTicks() {}

  /** {@code <trigger>:<scheduled instant, ISO-8601 in UTC>}, e.g. {@code tick:2025-01-01T09:00:00Z}. */
  public static String id(String trigger, Instant scheduledAt) {
    return trigger + ":" + DateTimeFormatter.ISO_INSTANT.format(scheduledAt);
  }

  /** {@code /cron/<trigger>}. */
  public static URI source(String trigger) {
    return URI.create("/cron/" + trigger);
  }

  public static CloudEvent event(TriggerSpec trigger, Instant scheduledAt) {
    CronSource cron = (CronSource) trigger.source();
    CloudEventBuilder event = CloudEventBuilder.v1()
        .withId(id(trigger.name(), scheduledAt))
        .withSource(source(trigger.name()))
        .withType(cron.type())
        .withTime(scheduledAt.atOffset(ZoneOffset.UTC));
    cron.data().ifPresent(json -> event.withData(JSON, json.toString().getBytes(StandardCharsets.UTF_8)));
    return event.build();
  }

  /** The tick in the CloudEvents Kafka binary mode, keyed by the trigger name so its ticks stay in order. */
  public static ProducerRecord<byte[], byte[]> record(TriggerSpec trigger, Instant scheduledAt) {
    return record(trigger, event(trigger, scheduledAt));
  }

  /** The tick {@code event} of {@code trigger}, as made by {@link #event} and maybe traced since, as a record. */
  public static ProducerRecord<byte[], byte[]> record(TriggerSpec trigger, CloudEvent event) {
    return CloudEventRecords.toRecord(trigger.topic(), event, trigger.name().getBytes(StandardCharsets.UTF_8));
  }
}
