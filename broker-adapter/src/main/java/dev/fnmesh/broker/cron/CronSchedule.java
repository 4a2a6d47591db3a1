package dev.fnmesh.broker.cron;

import com.cronutils.model.time.ExecutionTime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When a cron trigger ticks: a 5-field unix expression, a 6-field one with a leading seconds field, a
 * macro ({@code @hourly}, {@code @daily}, …) or {@code @every <duration>}. Cron expressions are evaluated
 * in a time zone by cron-utils; a local time skipped by a daylight-saving change does not fire that day,
 * one that occurs twice fires once. {@code @every d} ticks at the multiples of d since the epoch, so every
 * process computes the same instants whatever its start time or zone.
 */
public final class CronSchedule {

  /** The shortest {@code @every} interval: each tick is a Kafka transaction, faster would fall behind. */
  public static final Duration MIN_EVERY = Duration.ofMillis(100);

  private static final String EVERY = "@every";
  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *",
      "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *",
      "@midnight", "0 0 * * *",
      "@hourly", "0 * * * *");

  private final String expression;
  private final ExecutionTime cron;
  private final long everyMillis;

  private CronSchedule(String expression, ExecutionTime cron, long everyMillis) {
    this.expression = expression;
    this.cron = cron;
    this.everyMillis = everyMillis;
  }

  /**
   * @throws IllegalArgumentException naming the expression and what is wrong with it
   */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("schedule must not be empty; expected a cron expression such as "
          + "'*/5 * * * *', a macro such as '@hourly' or '@every 10s'");
    }
    String trimmed = expression.trim().replaceAll("\\s+", " ");
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.equals(EVERY) || lower.startsWith(EVERY + " ")) {
      Duration every = EveryInterval.parse(trimmed.substring(EVERY.length()).trim(), trimmed);
      return new CronSchedule(trimmed, null, every.toMillis());
    }
    if (lower.startsWith("@")) {
      String unix = MACROS.get(lower);
      if (unix == null) {
        throw new IllegalArgumentException("schedule '" + trimmed + "' is not a supported macro; expected one of "
            + "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration>");
      }
      return new CronSchedule(trimmed, CronExpressions.parse(unix), 0);
    }
    return new CronSchedule(trimmed, CronExpressions.parse(trimmed), 0);
  }

  /** Why the expression is no valid schedule, or empty when it is one. */
  public static Optional<String> check(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The first scheduled instant strictly after {@code after}, evaluated in {@code zone}
   * ({@code @every} ignores the zone).
   *
   * @throws IllegalStateException if the expression fires no more (parse rejects those that never fire)
   */
  public Instant next(Instant after, ZoneId zone) {
    if (cron == null) {
      return Instant.ofEpochMilli(Math.floorDiv(after.toEpochMilli(), everyMillis) * everyMillis + everyMillis);
    }
    // cron-utils keeps sub-second parts of its input in the answer, so it sees whole seconds only.
    ZonedDateTime from = after.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
    return cron.nextExecution(from).map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalStateException("schedule '" + expression + "' fires no more after " + after));
  }

  /** The latest scheduled instant at or before {@code atOrBefore} in {@code zone}, if there is one. */
  public Optional<Instant> latest(Instant atOrBefore, ZoneId zone) {
    if (cron == null) {
      return Optional.of(Instant.ofEpochMilli(Math.floorDiv(atOrBefore.toEpochMilli(), everyMillis) * everyMillis));
    }
    // lastExecution answers the latest instant strictly before its argument.
    ZonedDateTime before = atOrBefore.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
    return cron.lastExecution(before).map(ZonedDateTime::toInstant);
  }

  /** The interval of an {@code @every} schedule, empty for cron expressions and macros. */
  public Optional<Duration> every() {
    return cron == null ? Optional.of(Duration.ofMillis(everyMillis)) : Optional.empty();
  }

  /** The expression as parsed, whitespace normalised. */
  public String expression() {
    return expression;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronSchedule that && expression.equals(that.expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }
}
