package dev.fnmesh.broker.cron;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.DeliverySettings;
import dev.fnmesh.mesh.KafkaSource;
import dev.fnmesh.mesh.ScaleSpec;
import dev.fnmesh.mesh.TriggerSpec;

import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.Optional;

/** Cron triggers for tests, as the mesh file would declare them: every default unless changed. */
record CronTrigger(String name, CronSource source, String topic, int partitions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static CronTrigger of(String name, String schedule) {
    return new CronTrigger(name, new CronSource(schedule, CronSource.DEFAULT_TIMEZONE, CronSource.DEFAULT_TYPE,
        Optional.empty(), CronSource.DEFAULT_MISSED), TriggerSpec.defaultTopic(name), KafkaSource.DEFAULT_PARTITIONS);
  }

  CronTrigger withTopic(String newTopic, int newPartitions) {
    return new CronTrigger(name, source, newTopic, newPartitions);
  }

  CronTrigger withMissed(CronSource.Missed missed) {
    return withSource(new CronSource(source.schedule(), source.timezone(), source.type(), source.data(), missed));
  }

  CronTrigger withData(String json) {
    try {
      JsonNode data = JSON.readTree(json);
      return withSource(new CronSource(source.schedule(), source.timezone(), source.type(), Optional.of(data),
          source.missed()));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  CronTrigger withTimezone(ZoneId zone) {
    return withSource(new CronSource(source.schedule(), zone.getId(), source.type(), source.data(), source.missed()));
  }

  CronTrigger withType(String type) {
    return withSource(new CronSource(source.schedule(), source.timezone(), type, source.data(), source.missed()));
  }

  /** The trigger as the scheduler takes it. */
  TriggerSpec spec() {
    return new TriggerSpec(name, source, topic, partitions, "f", java.util.List.of(),
        Optional.empty(), DeliverySettings.defaults(name), Optional.empty(), ScaleSpec.defaults(partitions), Optional.empty());
  }

  private CronTrigger withSource(CronSource newSource) {
    return new CronTrigger(name, newSource, topic, partitions);
  }
}
