package dev.fnmesh.broker.cron;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the duration of {@code @every}: ISO-8601 ({@code PT10S}) or short units ({@code 10s}, {@code 1h30m}, {@code 500ms}). */
final class EveryInterval {

  private static final Pattern SHORT = Pattern.compile("(?:\\d+(?:ms|s|m|h))+");
  private static final Duration MAX = Duration.ofDays(366);
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private EveryInterval() {}

  /** @throws IllegalArgumentException naming the schedule and what a duration looks like */
  static Duration parse(String text, String schedule) {
    Duration every = read(text, schedule);
    if (every.compareTo(CronSchedule.MIN_EVERY) < 0) {
      throw new IllegalArgumentException("schedule '" + schedule + "': the interval must be at least "
          + CronSchedule.MIN_EVERY.toMillis() + "ms, got " + text);
    }
    if (every.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("schedule '" + schedule + "': the interval must be at most " + MAX.toDays()
          + " days, got " + text + "; a cron expression serves longer periods");
    }
    if (every.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("schedule '" + schedule + "': the interval must be whole milliseconds, got "
          + text);
    }
    return every;
  }

  private static Duration read(String text, String schedule) {
    String lower = text.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("p") || lower.startsWith("-p")) {
        return Duration.parse(lower);
      }
      if (SHORT.matcher(lower).matches()) {
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(lower);
        while (part.find()) {
          long amount = Long.parseLong(part.group(1));
          total = total.plus(switch (part.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          });
        }
        return total;
      }
      throw notADuration(text, schedule, null);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw notADuration(text, schedule, e);
    }
  }

  private static IllegalArgumentException notADuration(String text, String schedule, RuntimeException cause) {
    return new IllegalArgumentException("schedule '" + schedule + "': '" + text + "' is no duration; expected "
        + "ISO-8601 such as PT10S or a number with a unit ms, s, m or h such as 10s, 5m, 1h30m, 500ms", cause);
  }
}
