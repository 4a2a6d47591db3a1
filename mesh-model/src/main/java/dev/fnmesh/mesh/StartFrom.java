package dev.fnmesh.mesh;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a trigger without committed offsets starts reading its topic: the oldest event, the events
 * published after it started, or the first event at or after a time.
 *
 * @param position which of the three
 * @param timestamp the time, for {@link Position#TIMESTAMP} only
 */
public record StartFrom(Position position, Optional<Instant> timestamp) {

  /** From the oldest event still in the topic. */
  public static final StartFrom EARLIEST = new StartFrom(Position.EARLIEST, Optional.empty());
  /** From the events published after the trigger started. */
  public static final StartFrom LATEST = new StartFrom(Position.LATEST, Optional.empty());

  /** The kinds of start, with their spelling in the mesh file. */
  public enum Position {
    EARLIEST, LATEST, TIMESTAMP;

    /** {@code earliest}, {@code latest} or {@code timestamp}. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public StartFrom {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(timestamp, "timestamp");
    if ((position == Position.TIMESTAMP) != timestamp.isPresent()) {
      throw new IllegalArgumentException("a timestamp start needs a time, and only it has one");
    }
  }

  /** From the first event whose Kafka timestamp is at or after {@code time}; from the end where none is. */
  public static StartFrom at(Instant time) {
    return new StartFrom(Position.TIMESTAMP, Optional.of(time));
  }

  /** The spelling in the mesh file of the position: {@code earliest}, {@code latest} or {@code timestamp}. */
  public String yamlName() {
    return position.yamlName();
  }

  /**
   * What Kafka's {@code auto.offset.reset} is set to. A timestamp start seeks by itself where nothing is
   * committed; the reset then only applies to a committed offset that retention removed: the oldest left.
   */
  public String resetPolicy() {
    return position == Position.LATEST ? "latest" : "earliest";
  }

  /** One line of text that {@link #parse} reads back: {@code earliest}, {@code latest} or the time. */
  public String text() {
    return timestamp.map(Instant::toString).orElse(yamlName());
  }

  /**
   * Reads the mesh file spelling of a string value.
   *
   * @throws IllegalArgumentException when the name is neither {@code earliest} nor {@code latest}
   */
  public static StartFrom fromYaml(String name) {
    if (EARLIEST.yamlName().equals(name)) {
      return EARLIEST;
    }
    if (LATEST.yamlName().equals(name)) {
      return LATEST;
    }
    throw new IllegalArgumentException("startFrom must be earliest, latest or { timestamp: <RFC 3339 time> }, got \""
        + name + "\"");
  }

  /**
   * Reads {@link #text()}: {@code earliest}, {@code latest} or an RFC 3339 time with its offset.
   *
   * @throws IllegalArgumentException when it is none of them
   */
  public static StartFrom parse(String text) {
    if (text.equals(EARLIEST.yamlName()) || text.equals(LATEST.yamlName())) {
      return fromYaml(text);
    }
    return at(time(text));
  }

  /**
   * An RFC 3339 time such as {@code 2026-12-01T00:00:00Z} or {@code 2026-12-01T01:00:00+01:00}.
   *
   * @throws IllegalArgumentException naming the value when it is no such time
   */
  public static Instant time(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("must be an RFC 3339 time such as 2026-12-01T00:00:00Z, got \"" + text
          + "\"", e);
    }
  }
}
