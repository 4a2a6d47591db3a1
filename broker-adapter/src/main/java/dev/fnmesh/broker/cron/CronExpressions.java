package dev.fnmesh.broker.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Parses cron expressions with cron-utils: 5 fields as in crontab(5), or 6 with a leading seconds field,
 * chosen by the number of fields. Day-of-week takes 0-7 (0 and 7 are Sunday); when both day-of-month and
 * day-of-week are restricted either one matching fires, as in Vixie cron.
 */
final class CronExpressions {

  private static final CronParser UNIX = new CronParser(definition(false));
  private static final CronParser WITH_SECONDS = new CronParser(definition(true));
  // Far enough in the past that any expression that fires at all fires after it.
  private static final ZonedDateTime PROBE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  private static final String CRON_UTILS_PREFIX = "Failed to parse cron expression. ";

  private CronExpressions() {}

  /** @throws IllegalArgumentException naming the expression and the fault */
  static ExecutionTime parse(String expression) {
    int fields = expression.split(" ").length;
    CronParser parser = switch (fields) {
      case 5 -> UNIX;
      case 6 -> WITH_SECONDS;
      default -> throw new IllegalArgumentException("schedule '" + expression + "' has " + fields + " field"
          + (fields == 1 ? "" : "s") + "; expected 5 (minute hour day-of-month month day-of-week), 6 (a leading "
          + "seconds field, then those 5), a macro such as '@hourly' or '@every <duration>'");
    };
    Cron cron;
    try {
      cron = parser.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalArgumentException("schedule '" + expression + "' is not a valid cron expression: "
          + reason.replace(CRON_UTILS_PREFIX, ""), e);
    }
    ExecutionTime time = ExecutionTime.forCron(cron);
    if (time.nextExecution(PROBE).isEmpty()) {
      throw new IllegalArgumentException("schedule '" + expression + "' never fires: no date matches it");
    }
    return time;
  }

  private static CronDefinition definition(boolean seconds) {
    CronDefinitionBuilder builder = CronDefinitionBuilder.defineCron();
    if (seconds) {
      builder = builder.withSeconds().withValidRange(0, 59).withStrictRange().and();
    }
    return builder
        .withMinutes().withValidRange(0, 59).withStrictRange().and()
        .withHours().withValidRange(0, 23).withStrictRange().and()
        .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
        .withMonth().withValidRange(1, 12).withStrictRange().and()
        .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
        .instance();
  }
}
