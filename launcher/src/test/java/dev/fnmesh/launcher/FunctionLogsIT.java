package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fnmesh logs FUNCTION} against a running mesh: a process function's output lines and the failed calls
 * of every kind of function, recent ones and, with {@code --follow}, those that come after.
 */
@ExtendWith(KafkaFixture.class)
class FunctionLogsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path TALKER = Path.of("src/test/resources/logs/talker.py").toAbsolutePath();
  private static String talk;
  private static String flaky;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() {
    talk = KafkaFixture.uniqueTopic("logs-talk");
    flaky = KafkaFixture.uniqueTopic("logs-flaky");
    mesh = TestMesh.start("""
        functions:
          talker: { command: [python3, %s] }
          fail: { java: fail }
        triggers:
          talk:
            kafka: { topic: %s, partitions: 1 }
            function: talker
            delivery: { retry: 0 }
            scale: { min: 1 }
          flaky:
            kafka: { topic: %s, partitions: 1 }
            function: fail
            delivery: { retry: 0 }
            scale: { min: 1 }
        """.formatted(TALKER, talk, flaky));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void logsPrintTheLinesAProcessFunctionWrote() {
    publish(talk, "test.said", "said-1");

    await().atMost(WAIT).untilAsserted(() -> {
      FnmeshCli.Run run = fnmesh("logs", "talker");
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().lines().anyMatch(line -> line.contains("talker/0 stdout") && line.endsWith("heard said-1")),
          run.out());
    });
  }

  @Test
  void logsPrintTheFailedCallsOfAJavaAndOfAProcessFunctionWithTriggerAndEventId() {
    publish(flaky, "test.said", "boom-1");
    publish(talk, "test.fail", "boom-2");

    await().atMost(WAIT).untilAsserted(() -> {
      JsonObject failure = entry("fail", "boom-1", "failure");
      assertEquals("flaky", failure.getString("trigger"));
      assertTrue(failure.getString("message").contains("the fail function fails every event"), failure.encode());
    });
    await().atMost(WAIT).untilAsserted(() -> {
      JsonObject failure = entry("talker", "boom-2", "failure");
      assertEquals("talk", failure.getString("trigger"));
      assertTrue(failure.getString("message").contains("500"), failure.encode());
      FnmeshCli.Run run = fnmesh("logs", "talker");
      assertTrue(run.out().lines().anyMatch(line -> line.contains("talker/0 stderr") && line.endsWith("failing boom-2")),
          run.out());
      assertTrue(run.out().lines().anyMatch(line -> line.contains("talker failure")
          && line.contains("trigger=talk event_id=boom-2")), run.out());
    });
  }

  @Test
  void logsOfAFunctionTheMeshDoesNotHaveAreRefused() {
    FnmeshCli.Run run = fnmesh("logs", "nobody");

    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("fnmesh logs: 404 function: no function named 'nobody'"), run.err());
  }

  @Test
  void followPrintsALineWrittenAfterItStarted(@TempDir Path dir) throws Exception {
    publish(talk, "test.said", "before-follow");
    await().atMost(WAIT).until(() -> fnmesh("logs", "talker").out().contains("heard before-follow"));

    Process follow = FnmeshProcess.command(dir, "follow", "logs", "talker", "--follow",
        "--url", "http://127.0.0.1:" + mesh.httpPort());
    try {
      // The recent lines come once it follows: what is published now can only arrive as a new line.
      await().atMost(WAIT).until(() -> read(dir.resolve("follow.out")).contains("heard before-follow"));
      publish(talk, "test.said", "after-follow");
      await().atMost(WAIT).until(() -> read(dir.resolve("follow.out")).contains("heard after-follow"));
      assertTrue(follow.isAlive(), () -> "follow ended:\n" + read(dir.resolve("follow.err")));
    } finally {
      FnmeshProcess.stop(follow);
    }
  }

  /** The entry of a function's logs of this event and stream, asked for as a script would. */
  private static JsonObject entry(String function, String eventId, String stream) {
    FnmeshCli.Run run = fnmesh("logs", function, "-o", "json");
    assertEquals(0, run.exitCode(), run.err());
    List<JsonObject> found = new JsonArray(run.out()).stream().map(JsonObject.class::cast)
        .filter(entry -> eventId.equals(entry.getString("event_id")) && stream.equals(entry.getString("stream")))
        .toList();
    assertTrue(!found.isEmpty(), () -> "no " + stream + " of " + eventId + " in " + run.out());
    assertEquals(function, found.get(0).getString("function"));
    return found.get(0);
  }

  private static void publish(String topic, String type, String id) {
    FnmeshCli.Run run = fnmesh("publish", topic, "--type", type, "--id", id, "--data", "{}");
    assertEquals(0, run.exitCode(), run.err());
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static FnmeshCli.Run fnmesh(String... args) {
    return FnmeshCli.run(mesh.httpPort(), args);
  }
}
