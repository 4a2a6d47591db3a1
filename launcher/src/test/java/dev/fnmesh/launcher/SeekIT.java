package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `fnmesh seek` and {@code POST /api/triggers/{name}/seek} on `fnmesh up`: the trigger's replicas stop, its
 * group moves on every partition, and the events from there are handled again.
 */
@ExtendWith(KafkaFixture.class)
class SeekIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void aSeekReplaysTheEventsHandledSinceATimeThenSinceTheStart() throws Exception {
    String work = KafkaFixture.uniqueTopic("seek-work");
    String replies = KafkaFixture.uniqueTopic("seek-replies");
    try (TestMesh running = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          work:
            kafka: { topic: %s, partitions: 2 }
            function: echo
            reply: { topic: %s }
          hook:
            webhook: { path: hook }
            function: echo
        """.formatted(work, replies))) {
      publish(running, work, "a-1", "a-2");
      await().atMost(WAIT).until(() -> TestMesh.readRecords(replies, 2, Duration.ofSeconds(2)).size() == 2);
      Instant between = Instant.now().plusMillis(5);
      await().atMost(WAIT).until(() -> Instant.now().isAfter(between));
      publish(running, work, "b-1", "b-2");
      await().atMost(WAIT).until(() -> TestMesh.readRecords(replies, 4, Duration.ofSeconds(2)).size() == 4);

      FnmeshCli.Run byTime = FnmeshCli.run(running.httpPort(), "seek", "work", "--timestamp", between.toString());
      assertEquals(0, byTime.exitCode(), byTime.err());
      assertTrue(byTime.out().startsWith("moved fnmesh.work on " + work + " to " + between), byTime.out());
      await().atMost(WAIT).until(() -> replyCounts(replies).getOrDefault("b-1", 0L) == 2
          && replyCounts(replies).getOrDefault("b-2", 0L) == 2);
      assertEquals(Map.of("a-1", 1L, "a-2", 1L, "b-1", 2L, "b-2", 2L), replyCounts(replies),
          "only the events since the time are handled again");

      FnmeshCli.Run fromStart = FnmeshCli.run(running.httpPort(), "seek", "work", "--earliest", "-o", "json");
      assertEquals(0, fromStart.exitCode(), fromStart.err());
      JsonObject moved = new JsonObject(fromStart.out());
      assertEquals(2, moved.getJsonArray("partitions").size());
      moved.getJsonArray("partitions").forEach(move -> assertEquals(0L, ((JsonObject) move).getLong("to")));
      await().atMost(WAIT).until(() -> replyCounts(replies).equals(Map.of("a-1", 2L, "a-2", 2L, "b-1", 3L, "b-2", 3L)));
    }
  }

  @Test
  void aSeekWithBadInputOrForNoKafkaTriggerIsRefusedNamingTheField() throws Exception {
    String work = KafkaFixture.uniqueTopic("seek-refused");
    try (TestMesh running = TestMesh.start("""
        functions:
          echo: { java: echo }
        triggers:
          work:
            kafka: { topic: %s, partitions: 1 }
            function: echo
          hook:
            webhook: { path: hook }
            function: echo
        """.formatted(work))) {
      assertProblem(running, "work", "{\"timestamp\":\"yesterday\"}", 400, "timestamp");
      assertProblem(running, "work", "{\"offset\":\"oldest\"}", 400, "offset");
      assertProblem(running, "work", "{\"offset\":\"latest\",\"timestamp\":\"2026-12-01T00:00:00Z\"}", 400, "body");
      assertProblem(running, "work", "not json", 400, "body");
      assertProblem(running, "nope", "{\"offset\":\"latest\"}", 404, "name");
      assertProblem(running, "hook", "{\"offset\":\"latest\"}", 400, "name");
      FnmeshCli.Run none = FnmeshCli.run(running.httpPort(), "seek", "work");
      assertEquals(2, none.exitCode(), "one of --timestamp, --earliest and --latest is required: " + none.err());
    }
  }

  private static void assertProblem(TestMesh running, String trigger, String body, int status, String field) {
    HttpResponse<String> answer = running.send(running.request("/api/triggers/" + trigger + "/seek")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(status, answer.statusCode(), answer.body());
    assertEquals(field, new JsonObject(answer.body()).getString("field"), answer.body());
  }

  private static void publish(TestMesh running, String topic, String... ids) {
    for (String id : ids) {
      FnmeshCli.Run published = FnmeshCli.run(running.httpPort(), "publish", topic, "--type", "com.example.work",
          "--id", id, "--data", "{}");
      assertEquals(0, published.exitCode(), published.err());
    }
  }

  private static Map<String, Long> replyCounts(String replies) {
    List<CloudEvent> events = TestMesh.readEvents(replies, Integer.MAX_VALUE, Duration.ofSeconds(2));
    return events.stream().collect(Collectors.groupingBy(CloudEvent::getId, Collectors.counting()));
  }
}
