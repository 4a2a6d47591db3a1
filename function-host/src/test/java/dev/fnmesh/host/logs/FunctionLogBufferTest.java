package dev.fnmesh.host.logs;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recent log of each function, kept by one verticle and bounded in entries and in bytes. */
class FunctionLogBufferTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void keepsTheLastEntriesOfEachFunctionOldestFirst() throws Exception {
    deploy(new FunctionLogBuffer(3, 1_000_000));
    FunctionLogs logs = FunctionLogs.of(vertx);
    for (int i = 1; i <= 5; i++) {
      logs.record(FunctionLogEntry.line("talker", 0, FunctionLogEntry.Stream.STDOUT, "line " + i));
    }
    logs.record(FunctionLogEntry.failure("fail", Optional.of("flaky"), "e-1", "attempt 1 failed"));

    await().atMost(Duration.ofSeconds(10)).until(() -> messages("talker").contains("line 5"));
    assertEquals(List.of("line 3", "line 4", "line 5"), messages("talker"));
    JsonObject failure = recent("fail").getJsonObject(0);
    assertEquals("failure", failure.getString("stream"));
    assertEquals("flaky", failure.getString("trigger"));
    assertEquals("e-1", failure.getString("event_id"));
  }

  @Test
  void dropsTheOldestEntriesBeyondTheBytesOfAFunctionButKeepsTheNewest() throws Exception {
    String large = "x".repeat(2000);
    // Room for three entries of one digit and the large text.
    deploy(new FunctionLogBuffer(1000, 3 * (160 + 2 * (1 + large.length()))));
    FunctionLogs logs = FunctionLogs.of(vertx);
    for (int i = 1; i <= 5; i++) {
      logs.record(FunctionLogEntry.line("talker", 0, FunctionLogEntry.Stream.STDERR, i + large));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> messages("talker").stream().anyMatch(m -> m.startsWith("5")));
    List<String> kept = messages("talker");
    assertEquals(3, kept.size(), kept.toString());
    assertTrue(kept.get(0).startsWith("3") && kept.get(2).startsWith("5"));
  }

  @Test
  void numbersEntriesInTheOrderTheyWereKept() throws Exception {
    deploy(new FunctionLogBuffer());
    FunctionLogs logs = FunctionLogs.of(vertx);
    logs.record(FunctionLogEntry.line("a", 0, FunctionLogEntry.Stream.STDOUT, "first"));
    logs.record(FunctionLogEntry.line("b", 0, FunctionLogEntry.Stream.STDOUT, "second"));

    await().atMost(Duration.ofSeconds(10)).until(() -> recent("b").size() == 1);
    assertTrue(recent("a").getJsonObject(0).getLong("seq") < recent("b").getJsonObject(0).getLong("seq"));
    assertEquals(0, recent("nobody").size());
  }

  private void deploy(FunctionLogBuffer buffer) throws Exception {
    vertx.deployVerticle(buffer).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private JsonArray recent(String function) throws Exception {
    return vertx.eventBus().<JsonArray>request(FunctionLogs.RECENT_ADDRESS, function)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
  }

  private List<String> messages(String function) throws Exception {
    return recent(function).stream().map(entry -> ((JsonObject) entry).getString("message")).toList();
  }
}
