package dev.fnmesh.broker.cron;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronScheduleTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aFiveFieldExpressionFiresAtTheMatchingMinutes() {
    CronSchedule schedule = CronSchedule.parse("*/5 * * * *");

    assertEquals(List.of(at("2025-03-10T10:05:00Z"), at("2025-03-10T10:10:00Z"), at("2025-03-10T10:15:00Z")),
        ticks(schedule, at("2025-03-10T10:03:30Z"), UTC, 3));
  }

  @Test
  void aSixFieldExpressionHasALeadingSecondsField() {
    CronSchedule schedule = CronSchedule.parse("*/15 * * * * *");

    assertEquals(List.of(at("2025-03-10T10:00:15Z"), at("2025-03-10T10:00:30Z"), at("2025-03-10T10:00:45Z")),
        ticks(schedule, at("2025-03-10T10:00:00Z"), UTC, 3));
  }

  @Test
  void theNextTickIsStrictlyAfterTheGivenInstantEvenWithinTheSameSecond() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *");

    assertEquals(at("2025-03-10T10:00:01Z"), everySecond.next(at("2025-03-10T10:00:00Z"), UTC));
    assertEquals(at("2025-03-10T10:00:01Z"), everySecond.next(at("2025-03-10T10:00:00.600Z"), UTC));
  }

  @ParameterizedTest
  @CsvSource({
      "@yearly,   2026-01-01T00:00:00Z",
      "@annually, 2026-01-01T00:00:00Z",
      "@monthly,  2025-04-01T00:00:00Z",
      "@weekly,   2025-03-16T00:00:00Z",
      "@daily,    2025-03-11T00:00:00Z",
      "@midnight, 2025-03-11T00:00:00Z",
      "@hourly,   2025-03-10T11:00:00Z",
      "@HOURLY,   2025-03-10T11:00:00Z"})
  void eachMacroFiresAtItsUnixEquivalent(String macro, String expected) {
    // 2025-03-10 is a Monday; @weekly fires on Sunday at midnight.
    assertEquals(at(expected), CronSchedule.parse(macro).next(at("2025-03-10T10:30:00Z"), UTC));
  }

  @Test
  void dayOfMonthAndDayOfWeekBothRestrictedFireOnEitherAsInVixieCron() {
    CronSchedule schedule = CronSchedule.parse("0 0 13 * 5");

    assertEquals(List.of(at("2024-01-05T00:00:00Z"), at("2024-01-12T00:00:00Z"), at("2024-01-13T00:00:00Z")),
        ticks(schedule, at("2024-01-01T00:00:00Z"), UTC, 3));
  }

  @Test
  void anExpressionIsEvaluatedInTheGivenTimeZone() {
    CronSchedule nineAm = CronSchedule.parse("0 9 * * *");

    assertEquals(at("2025-01-15T08:00:00Z"), nineAm.next(at("2025-01-15T00:00:00Z"), BERLIN));
    assertEquals(at("2025-01-15T14:00:00Z"), nineAm.next(at("2025-01-15T00:00:00Z"), ZoneId.of("America/New_York")));
  }

  @Test
  void aLocalTimeKeepsItsWallClockAcrossTheSpringDaylightSavingChange() {
    // London moved from GMT to BST on 2024-03-31: 09:00 local is 09:00Z before, 08:00Z after.
    assertEquals(List.of(at("2024-03-30T09:00:00Z"), at("2024-03-31T08:00:00Z"), at("2024-04-01T08:00:00Z")),
        ticks(CronSchedule.parse("0 9 * * *"), at("2024-03-30T00:00:00Z"), LONDON, 3));
  }

  @Test
  void aLocalTimeSkippedByTheSpringChangeDoesNotFireThatDay() {
    // Berlin jumped from 02:00 to 03:00 on 2024-03-31: there was no 02:30 that day.
    List<Instant> ticks = ticks(CronSchedule.parse("30 2 * * *"), at("2024-03-30T00:00:00Z"), BERLIN, 2);

    assertEquals(List.of(at("2024-03-30T01:30:00Z"), at("2024-04-01T00:30:00Z")), ticks);
  }

  @Test
  void aLocalTimeRepeatedByTheAutumnChangeFiresOnce() {
    // Berlin went from 03:00 back to 02:00 on 2024-10-27: 02:30 happened twice, at 00:30Z and 01:30Z.
    List<Instant> ticks = ticks(CronSchedule.parse("30 2 * * *"), at("2024-10-26T12:00:00Z"), BERLIN, 2);

    assertEquals(List.of(at("2024-10-27T00:30:00Z"), at("2024-10-28T01:30:00Z")), ticks);
  }

  @ParameterizedTest
  @CsvSource({
      "@every PT10S,  10000",
      "@every pt1m,   60000",
      "@every 10s,    10000",
      "@every 5m,     300000",
      "@every 1h,     3600000",
      "@every 500ms,  500",
      "@every 1h30m,  5400000",
      "@EVERY   2s,   2000"})
  void everyTakesIsoAndShortDurations(String expression, long millis) {
    assertEquals(Optional.of(Duration.ofMillis(millis)), CronSchedule.parse(expression).every());
  }

  @Test
  void everyTicksAtMultiplesOfTheIntervalSinceTheEpochWhateverTheStartOrZone() {
    CronSchedule every7s = CronSchedule.parse("@every 7s");
    Instant start = at("2025-03-10T10:00:00.123Z");
    long first = (start.toEpochMilli() / 7000 + 1) * 7000;

    List<Instant> ticks = ticks(every7s, start, BERLIN, 3);

    assertEquals(List.of(Instant.ofEpochMilli(first), Instant.ofEpochMilli(first + 7000),
        Instant.ofEpochMilli(first + 14000)), ticks);
    assertEquals(ticks, ticks(every7s, start.plusMillis(5), UTC, 3));
  }

  @Test
  void theLatestTickAtOrBeforeAnInstantIncludesThatInstant() {
    assertEquals(Optional.of(at("2025-03-10T10:00:10Z")),
        CronSchedule.parse("@every 10s").latest(at("2025-03-10T10:00:10Z"), UTC));
    assertEquals(Optional.of(at("2025-03-10T10:00:10Z")),
        CronSchedule.parse("*/10 * * * * *").latest(at("2025-03-10T10:00:10Z"), UTC));
    assertEquals(Optional.of(at("2025-03-10T10:00:10Z")),
        CronSchedule.parse("*/10 * * * * *").latest(at("2025-03-10T10:00:19.999Z"), UTC));
    assertEquals(Optional.of(at("2025-03-10T08:00:00Z")),
        CronSchedule.parse("0 9 * * *").latest(at("2025-03-10T12:00:00Z"), BERLIN));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "* * *                | schedule '* * *' has 3 fields; expected 5 (minute hour day-of-month month day-of-week)",
      "* * * * * * *        | has 7 fields",
      "61 * * * *           | schedule '61 * * * *' is not a valid cron expression: Value 61 not in range [0, 59]",
      "0 0 * * 8            | not a valid cron expression: Value 8 not in range [0, 7]",
      "a b c d e            | schedule 'a b c d e' is not a valid cron expression",
      "0 0 30 2 *           | schedule '0 0 30 2 *' never fires",
      "@fortnightly         | schedule '@fortnightly' is not a supported macro; expected one of @yearly",
      "@reboot              | is not a supported macro",
      "@every               | schedule '@every': '' is no duration; expected ISO-8601 such as PT10S",
      "@every ten seconds   | 'ten seconds' is no duration",
      "@every 10d           | '10d' is no duration",
      "@every 50ms          | the interval must be at least 100ms, got 50ms",
      "@every PT0S          | the interval must be at least 100ms",
      "@every -PT10S        | the interval must be at least 100ms",
      "@every PT0.1005S     | the interval must be whole milliseconds, got PT0.1005S",
      "@every 9999999999999h | the interval must be at most 366 days, got 9999999999999h",
      "@every 99999999999999999999s | '99999999999999999999s' is no duration"})
  void aBadExpressionIsRefusedWithAMessageNamingItAndTheFault(String expression, String message) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.parse(expression));

    assertTrue(error.getMessage().contains(message), error.getMessage());
    assertEquals(Optional.of(error.getMessage()), CronSchedule.check(expression));
  }

  @Test
  void anEmptyExpressionIsRefused() {
    assertTrue(CronSchedule.check("  ").orElseThrow().startsWith("schedule must not be empty"));
    assertTrue(CronSchedule.check(null).orElseThrow().startsWith("schedule must not be empty"));
  }

  @Test
  void aValidExpressionChecksClean() {
    assertEquals(Optional.empty(), CronSchedule.check("0 0 29 2 *"));
    assertEquals(Optional.empty(), CronSchedule.check("@every 10s"));
  }

  @Test
  void schedulesAreEqualByTheirNormalisedExpression() {
    assertEquals(CronSchedule.parse("*/5  *   * * *"), CronSchedule.parse(" */5 * * * * "));
    assertEquals("*/5 * * * *", CronSchedule.parse(" */5  * * * *").expression());
  }

  private static List<Instant> ticks(CronSchedule schedule, Instant after, ZoneId zone, int count) {
    List<Instant> ticks = new ArrayList<>();
    Instant cursor = after;
    for (int i = 0; i < count; i++) {
      cursor = schedule.next(cursor, zone);
      ticks.add(cursor);
    }
    return ticks;
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }
}
