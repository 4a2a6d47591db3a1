package dev.fnmesh.broker.cron;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CronSettingsTest {

  @Test
  void aTriggerWithDefaultsTicksInUtcWithTheDefaultTypeToItsOwnTopic() {
    CronSettings trigger = CronSettings.of("tick", "*/5 * * * *");

    assertEquals(ZoneOffset.UTC, trigger.timezone());
    assertEquals("dev.fnmesh.cron.tick", trigger.type());
    assertEquals(Optional.empty(), trigger.data());
    assertEquals(CronSettings.Missed.SKIP, trigger.missed());
    assertEquals("fnmesh.tick", trigger.topic());
    assertEquals(8, trigger.partitions());
  }

  @Test
  void aBadScheduleIsRefusedNamingTheTriggerAndTheFault() {
    assertEquals("cron trigger 'tick': schedule '* * *' has 3 fields; expected 5 (minute hour day-of-month month "
        + "day-of-week), 6 (a leading seconds field, then those 5), a macro such as '@hourly' or '@every <duration>'",
        message(() -> CronSettings.of("tick", "* * *")));
  }

  @Test
  void dataThatIsNoJsonIsRefused() {
    assertEquals("data of cron trigger 'tick' must be JSON, got '{oops'",
        message(() -> CronSettings.of("tick", "@hourly").withData(Optional.of("{oops"))).split(":")[0]);
    assertEquals("data of cron trigger 'tick' must be JSON, got nothing",
        message(() -> CronSettings.of("tick", "@hourly").withData(Optional.of(" "))));
    assertEquals("data of cron trigger 'tick' must be JSON, got '{} {}'",
        message(() -> CronSettings.of("tick", "@hourly").withData(Optional.of("{} {}"))).split(":")[0]);
  }

  @Test
  void aNameThatIsNoDnsLabelIsRefused() {
    assertEquals("name must be a DNS label (a-z, 0-9, '-'), got 'Tick/1'", message(() -> CronSettings.of("Tick/1", "@hourly")));
  }

  @Test
  void partitionsOutsideTheirRangeAreRefused() {
    assertEquals("partitions of cron trigger 'tick' must be between 1 and 10000, got 0",
        message(() -> CronSettings.of("tick", "@hourly").withTopic("t", 0)));
  }

  @Test
  void anEmptyTypeIsRefused() {
    assertEquals("type of cron trigger 'tick' must not be empty",
        message(() -> CronSettings.of("tick", "@hourly").withType(" ")));
  }

  private static String message(Runnable construction) {
    return assertThrows(IllegalArgumentException.class, construction::run).getMessage();
  }
}
