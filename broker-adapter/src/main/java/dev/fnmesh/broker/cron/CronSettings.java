package dev.fnmesh.broker.cron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One cron trigger: when it ticks and what each tick event looks like and where it goes.
 *
 * @param name the trigger's name in the mesh, a DNS label; the tick source is {@code /cron/<name>}
 * @param schedule a {@link CronSchedule} expression, checked here
 * @param timezone the zone cron expressions are evaluated in
 * @param type the CloudEvents type of each tick
 * @param data the tick's data as JSON text, sent as {@code application/json}; empty for no data
 * @param missed what happens to ticks that no process fired in time
 * @param topic the topic the tick events are written to
 * @param partitions the partitions of that topic when it has to be created
 */
public record CronSettings(
    String name,
    String schedule,
    ZoneId timezone,
    String type,
    Optional<String> data,
    Missed missed,
    String topic,
    int partitions) {

  public static final String DEFAULT_TYPE = "dev.fnmesh.cron.tick";
  public static final ZoneId DEFAULT_TIMEZONE = ZoneOffset.UTC;
  public static final int DEFAULT_PARTITIONS = 8;
  public static final int MAX_PARTITIONS = 10_000;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** What a trigger does with ticks whose scheduled instant passed while no process could fire them. */
  public enum Missed {
    /** Fire none of them; go on with the next scheduled instant. */
    SKIP,
    /** Fire one tick for the latest of them, then go on with the next scheduled instant. */
    ONCE
  }

  /** @throws IllegalArgumentException naming the field, its value and what was expected */
  public CronSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timezone, "timezone");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(missed, "missed");
    if (!DNS_LABEL.matcher(name).matches()) {
      throw new IllegalArgumentException("name must be a DNS label (a-z, 0-9, '-'), got '" + name + "'");
    }
    CronSchedule.check(schedule).ifPresent(problem -> {
      throw new IllegalArgumentException("cron trigger '" + name + "': " + problem);
    });
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("type of cron trigger '" + name + "' must not be empty");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic of cron trigger '" + name + "' must not be empty");
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("partitions of cron trigger '" + name + "' must be between 1 and "
          + MAX_PARTITIONS + ", got " + partitions);
    }
    data.ifPresent(json -> requireJson(name, json));
  }

  /** A trigger with every default: UTC, the default type, no data, missed ticks skipped, topic {@code fnmesh.<name>}. */
  public static CronSettings of(String name, String schedule) {
    return new CronSettings(name, schedule, DEFAULT_TIMEZONE, DEFAULT_TYPE, Optional.empty(), Missed.SKIP,
        "fnmesh." + name, DEFAULT_PARTITIONS);
  }

  public CronSettings withTopic(String newTopic, int newPartitions) {
    return new CronSettings(name, schedule, timezone, type, data, missed, newTopic, newPartitions);
  }

  public CronSettings withMissed(Missed newMissed) {
    return new CronSettings(name, schedule, timezone, type, data, newMissed, topic, partitions);
  }

  public CronSettings withData(Optional<String> newData) {
    return new CronSettings(name, schedule, timezone, type, newData, missed, topic, partitions);
  }

  public CronSettings withTimezone(ZoneId newTimezone) {
    return new CronSettings(name, schedule, newTimezone, type, data, missed, topic, partitions);
  }

  public CronSettings withType(String newType) {
    return new CronSettings(name, schedule, timezone, newType, data, missed, topic, partitions);
  }

  private static void requireJson(String name, String json) {
    try {
      if (JSON.readTree(json).isMissingNode()) {
        throw new IllegalArgumentException("data of cron trigger '" + name + "' must be JSON, got nothing");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("data of cron trigger '" + name + "' must be JSON, got '" + json + "': "
          + e.getOriginalMessage(), e);
    }
  }
}
