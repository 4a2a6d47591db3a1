package dev.fnmesh.broker.cron;

import dev.fnmesh.mesh.CronSource;
import dev.fnmesh.mesh.CronSource.Missed;
import dev.fnmesh.broker.cron.TriggerTable.Tick;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TriggerTableTest {

  private static final Duration TOLERANCE = Duration.ofSeconds(2);
  private static final CronTrigger EVERY_10S = CronTrigger.of("tick", "@every 10s");
  private static final Instant T0 = Instant.parse("2025-03-10T10:00:00Z");

  private final TriggerTable table = new TriggerTable(TOLERANCE);

  @Test
  void aTriggerWithoutStateStartsFromNowWithoutBackfill() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    table.startLeading(T0.plusSeconds(3));

    assertEquals(List.of(), dueAt(T0.plusSeconds(9)));
    assertEquals(List.of(T0.plusSeconds(10)), dueAt(T0.plusSeconds(10)));
  }

  @Test
  void aFiredTickIsFollowedByTheNextScheduledOne() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    table.startLeading(T0.plusSeconds(3));
    table.fired(table.due(T0.plusSeconds(10), trigger -> true));

    assertEquals(Optional.of(T0.plusSeconds(20)), table.nextDue(trigger -> true));
    assertEquals(Optional.of(T0.plusSeconds(10)), table.lastFired("tick"));
  }

  @Test
  void aNewLeaderGoesOnAfterTheLastFiredTickWhenItIsNotLate() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    table.recordFired("tick", T0);
    table.startLeading(T0.plusSeconds(11));

    assertEquals(List.of(T0.plusSeconds(10)), dueAt(T0.plusSeconds(11)));
  }

  @Test
  void withMissedSkipTicksMissedDuringDowntimeAreNotFired() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    table.recordFired("tick", T0);
    table.startLeading(T0.plusSeconds(65));

    assertEquals(List.of(), dueAt(T0.plusSeconds(65)));
    assertEquals(Optional.of(T0.plusSeconds(70)), table.nextDue(trigger -> true));
  }

  @Test
  void withMissedOnceTheLatestMissedTickFiresOnceThenTheScheduleGoesOn() {
    table.replace(List.of(EVERY_10S.withMissed(Missed.ONCE).spec()), T0);
    table.recordFired("tick", T0);
    table.startLeading(T0.plusSeconds(65));

    List<Tick> catchUp = table.due(T0.plusSeconds(65), trigger -> true);
    assertEquals(List.of(T0.plusSeconds(60)), catchUp.stream().map(Tick::scheduledAt).toList());
    table.fired(catchUp);
    assertEquals(List.of(), dueAt(T0.plusSeconds(66)));
    assertEquals(List.of(T0.plusSeconds(70)), dueAt(T0.plusSeconds(70)));
  }

  @Test
  void aCatchUpTickIsNotTakenForMissedWhenItFiresLate() {
    table.replace(List.of(EVERY_10S.withMissed(Missed.ONCE).spec()), T0);
    table.recordFired("tick", T0);
    table.startLeading(T0.plusSeconds(65));

    assertEquals(List.of(T0.plusSeconds(60)), dueAt(T0.plusSeconds(75)));
  }

  @Test
  void aTickLateWithinTheToleranceStillFires() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    table.recordFired("tick", T0);
    table.startLeading(T0.plusMillis(11_900));

    assertEquals(List.of(T0.plusSeconds(10)), dueAt(T0.plusMillis(11_900)));
  }

  @Test
  void aTickOverdueWhileLeadingFollowsTheMissedPolicy() {
    table.replace(List.of(EVERY_10S.withMissed(Missed.ONCE).spec()), T0);
    table.recordFired("tick", T0);
    table.startLeading(T0.plusSeconds(1));

    // The leader stalled from before 10 s until 45 s: ticks at 10, 20, 30 and 40 s are overdue.
    assertEquals(List.of(T0.plusSeconds(40)), dueAt(T0.plusSeconds(45)));
  }

  @Test
  void noTickAtOrBeforeTheLastFiredOneEvenWhenThisClockLagsBehindTheOldLeaders() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    table.recordFired("tick", T0.plusSeconds(10));
    table.startLeading(T0.plusSeconds(8));

    assertEquals(List.of(), dueAt(T0.plusSeconds(10)));
    assertEquals(Optional.of(T0.plusSeconds(20)), table.nextDue(trigger -> true));
  }

  @Test
  void aTriggerAddedWhileLeadingStartsFromNowAndAfterItsLastFiredTick() {
    table.replace(List.of(), T0);
    table.startLeading(T0);
    table.recordFired("tick", T0.plusSeconds(30));

    table.replace(List.of(EVERY_10S.spec()), T0.plusSeconds(5));

    assertEquals(Optional.of(T0.plusSeconds(40)), table.nextDue(trigger -> true));
  }

  @Test
  void aChangedTriggerStartsAgainFromNowAndARemovedOneStops() {
    CronTrigger other = CronTrigger.of("other", "@every 10s");
    table.replace(List.of(EVERY_10S.spec(), other.spec()), T0);
    table.startLeading(T0);

    table.replace(List.of(EVERY_10S.withType("com.example.changed").spec()), T0.plusSeconds(25));

    List<Tick> due = table.due(T0.plusSeconds(30), trigger -> true);
    assertEquals(1, due.size());
    assertEquals("com.example.changed", ((CronSource) due.get(0).trigger().source()).type());
    assertEquals(T0.plusSeconds(30), due.get(0).scheduledAt());
  }

  @Test
  void nothingIsDueWhenNotLeadingOrWhenTheTopicIsNotReady() {
    table.replace(List.of(EVERY_10S.spec()), T0);
    assertEquals(List.of(), dueAt(T0.plusSeconds(60)));

    table.startLeading(T0);
    assertEquals(List.of(), table.due(T0.plusSeconds(10), trigger -> false));
    assertEquals(Optional.empty(), table.nextDue(trigger -> false));

    table.stopLeading();
    assertEquals(List.of(), dueAt(T0.plusSeconds(10)));
  }

  private List<Instant> dueAt(Instant now) {
    return table.due(now, trigger -> true).stream().map(Tick::scheduledAt).toList();
  }
}
