package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CronSource;
import static dev.fnmesh.mesh.load.MeshFiles.onlyProblemOf;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static dev.fnmesh.mesh.load.MeshFiles.problem;
import static dev.fnmesh.mesh.load.MeshFiles.problemsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

/** A cron source: its schedule as written, time zone, event type, data and missed ticks, and their problems. */
class MeshLoaderCronTest {

  private static CronSource cronOf(String cron) {
    return (CronSource) parse("""
        functions: { f: { java: f } }
        triggers:
          tick:
            cron: %s
            function: f
        """.formatted(cron)).triggers().get("tick").source();
  }

  @Test
  void shouldReadEveryKeyOfACronSource() throws Exception {
    JsonNode data = new ObjectMapper().readTree("{\"any\":\"json\",\"n\":[1,true,null]}");

    assertEquals(new CronSource("*/5 * * * *", "Europe/London", "com.example.tick", Optional.of(data),
            CronSource.Missed.ONCE),
        cronOf("{ schedule: '*/5 * * * *', timezone: Europe/London, type: com.example.tick, "
            + "data: { any: json, n: [1, true, ~] }, missed: once }"));
  }

  @Test
  void shouldApplyTheDefaultsOfTimezoneTypeAndMissedAndLeaveDataEmpty() {
    assertEquals(new CronSource("@every 10s", "UTC", "dev.fnmesh.cron.tick", Optional.empty(), CronSource.Missed.SKIP),
        cronOf("{ schedule: '@every 10s' }"));
  }

  @Test
  void shouldKeepAScalarDataValueAsJson() {
    assertEquals("hello", cronOf("{ schedule: '@hourly', data: hello }").data().orElseThrow().asText());
    assertEquals(42, cronOf("{ schedule: '@hourly', data: 42 }").data().orElseThrow().asInt());
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "Europe/London", "America/Argentina/Buenos_Aires", "+02:00", "GMT+1"})
  void shouldAcceptEveryTimeZoneIdJavaKnows(String zone) {
    assertEquals(zone, cronOf("{ schedule: '@daily', timezone: '%s' }".formatted(zone)).timezone());
  }

  @Test
  void shouldReportAnUnknownTimeZoneWithItsLineAndSuggestTheClosestKnownOne() {
    assertEquals(problem(5, 7, "triggers.tick.cron.timezone",
            "must be a time zone ID such as UTC or Europe/London, got \"europe/londn\" (did you mean \"Europe/London\"?)"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers:
              tick:
                cron:
                  timezone: europe/londn
                  schedule: '@daily'
                function: f
            """));
  }

  @Test
  void shouldReportAnUnknownTimeZoneWithoutSuggestionWhenNoneIsClose() {
    assertEquals("must be a time zone ID such as UTC or Europe/London, got \"Mars/Olympus_Mons\"", onlyProblemOf("""
        functions: { f: { java: f } }
        triggers: { t: { cron: { schedule: '@daily', timezone: Mars/Olympus_Mons }, function: f } }
        """).message());
  }

  @Test
  void shouldReportAMissingOrEmptyScheduleAndABadMissedAndData() {
    assertEquals(List.of(
            problem(3, 8, "triggers.a.cron", "missing required key \"schedule\" (when to fire: 5-field unix cron, "
                + "6 fields with leading seconds, @hourly, @daily, @weekly, @monthly, @yearly, @midnight or "
                + "@every <duration>)"),
            problem(4, 16, "triggers.b.cron.schedule", "must be a non-empty string, got \"\""),
            problem(5, 36, "triggers.c.cron.missed", "must be skip or once, got \"twice\""),
            problem(6, 36, "triggers.d.cron.data", "must have a value: remove the key or give it one, got an empty value"),
            problem(7, 36, "triggers.e.cron.type", "must be a non-empty string, got 7; put it in quotes to make it a "
                + "string")),
        problemsOf("""
            functions: { f: { java: f } }
            triggers:
              a: { cron: { type: t }, function: f }
              b: { cron: { schedule: '' }, function: f }
              c: { cron: { schedule: '@daily', missed: twice }, function: f }
              d: { cron: { schedule: '@daily', data: ~ }, function: f }
              e: { cron: { schedule: '@daily', type: 7 }, function: f }
            """));
  }

  @Test
  void shouldReportAMistypedCronKeyWithASuggestion() {
    assertEquals(problem(2, 46, "triggers.t.cron.timezon", "unknown key \"timezon\" (did you mean \"timezone\"?); "
            + "allowed keys are schedule, timezone, type, data, missed"),
        onlyProblemOf("""
            functions: { f: { java: f } }
            triggers: { t: { cron: { schedule: '@daily', timezon: UTC }, function: f } }
            """));
  }
}
