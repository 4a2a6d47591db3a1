package dev.fnmesh.mesh;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A trigger's events are made on a schedule. The schedule is kept as written; whoever runs it parses it.
 *
 * @param schedule when to fire, as written in the mesh file
 * @param timezone the time zone ID the schedule is read in, one {@link ZoneId#of} knows
 * @param type the type of the events
 * @param data the data of every event, sent as {@code application/json}; empty for events without data
 * @param missed what happens to ticks missed while the mesh was down
 */
public record CronSource(String schedule, String timezone, String type, Optional<JsonNode> data, Missed missed)
    implements TriggerSource {

  /** The time zone when the mesh file does not say, as in the schema. */
  public static final String DEFAULT_TIMEZONE = "UTC";

  /** The event type when the mesh file does not say, as in the schema. */
  public static final String DEFAULT_TYPE = "dev.fnmesh.cron.tick";

  /** What happens to missed ticks when the mesh file does not say, as in the schema. */
  public static final Missed DEFAULT_MISSED = Missed.SKIP;

  public CronSource {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(timezone, "timezone");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(missed, "missed");
    if (schedule.isBlank()) {
      throw new IllegalArgumentException("schedule must not be empty");
    }
    ZoneId.of(timezone); // throws DateTimeException for a zone the running JDK does not know
    // A JsonNode is mutable: a copy keeps the record's value its own.
    data = data.map(JsonNode::deepCopy);
  }

  /** What happens to the ticks that fell while the mesh was down. */
  public enum Missed {
    /** They are dropped; the next tick fires on schedule. */
    SKIP,
    /** One tick fires on start-up for all of them. */
    ONCE;

    /** The spelling in the mesh file: {@code skip} or {@code once}. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the mesh file spelling.
     *
     * @throws IllegalArgumentException when the name is neither {@code skip} nor {@code once}
     */
    public static Missed fromYaml(String name) {
      for (Missed value : values()) {
        if (value.yamlName().equals(name)) {
          return value;
        }
      }
      throw new IllegalArgumentException("missed must be skip or once, got \"" + name + "\"");
    }
  }
}
