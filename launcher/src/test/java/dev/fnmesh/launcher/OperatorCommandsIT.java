package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator commands against a running mesh, called as a user calls them, their output read back. */
@ExtendWith(KafkaFixture.class)
class OperatorCommandsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static String orders;
  private static String replies;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() {
    orders = KafkaFixture.uniqueTopic("cli-orders");
    replies = KafkaFixture.uniqueTopic("cli-replies");
    mesh = TestMesh.startEcho(orders, 2, replies);
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void publishSendsOneEventWithTheGivenAttributes() {
    FnmeshCli.Run run = fnmesh("publish", orders, "--type", "com.example.order", "--id", "cli-1", "--subject", "o-1",
        "--data", "{\"amount\":3}");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("published 1 event to " + orders, run.out().strip());
    var event = TestMesh.readEventWithId(orders, "cli-1", WAIT);
    assertEquals("com.example.order", event.getType());
    assertEquals("o-1", event.getSubject());
    assertEquals("{\"amount\":3}", new String(event.getData().toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void publishWithACountSendsThemInBatchesAndSaysHowManyWereAccepted() {
    FnmeshCli.Run run = fnmesh("publish", orders, "--type", "com.example.order", "--id", "many", "--count", "1200",
        "--data", "{}", "--output", "json");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1200, new JsonObject(run.out()).getInteger("accepted"));
    // Counted by id, not by offsets: a batch is a transaction, whose commit marker takes an offset too.
    List<String> ids = many(TestMesh.readRecordsUntil(orders, records -> many(records).size() >= 1200, WAIT));
    assertEquals(1200, ids.size());
    assertEquals(1200, Set.copyOf(ids).size());
  }

  private static List<String> many(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(TestMesh::idOf).filter(id -> id != null && id.startsWith("many-")).toList();
  }

  @Test
  void aRefusalExitsNonZeroWithTheServersMessage() {
    FnmeshCli.Run run = fnmesh("publish", "not-declared", "--type", "t", "--data", "{}");

    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("fnmesh publish: 404 topic: no topic 'not-declared' is declared"), run.err());
  }

  @Test
  void invokePrintsTheRepliesDataAndWithVerboseItsAttributes() {
    FnmeshCli.Run run = fnmesh("invoke", "echo", "--data", "{\"hello\":\"cli\"}", "-v");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("status: 200"), run.out());
    assertTrue(run.out().contains("specversion: 1.0"), run.out());
    assertTrue(run.out().strip().endsWith("{\"hello\":\"cli\"}"), run.out());
  }

  @Test
  void statusListsTheTriggersForPeopleAndForScripts() {
    fnmesh("publish", orders, "--type", "com.example.order", "--id", "status-1", "--data", "{}");
    TestMesh.readEventWithId(replies, "status-1", WAIT);

    FnmeshCli.Run table = fnmesh("status");
    FnmeshCli.Run json = fnmesh("status", "-o", "json");

    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().startsWith("TRIGGER"), table.out());
    assertTrue(table.out().contains("echo") && table.out().contains(orders), table.out());
    var trigger = new JsonObject(json.out()).getJsonArray("triggers").getJsonObject(0);
    assertEquals("echo", trigger.getString("name"));
    assertTrue(trigger.getJsonObject("events").getLong("succeeded") >= 1, json.out());
  }

  @Test
  void tailPrintsTheEventsOfATopicTheFilterAccepts() {
    fnmesh("publish", orders, "--type", "com.example.order", "--id", "tail-a", "--subject", "skip", "--data", "{}");
    fnmesh("publish", orders, "--type", "com.example.order", "--id", "tail-b", "--subject", "show", "--data", "{\"n\":2}");

    FnmeshCli.Run run = fnmesh("tail", orders, "--from-beginning", "--filter", "subject = 'show'", "--count", "1");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("tail-b") && run.out().contains("com.example.order") && run.out().contains("show"),
        run.out());
    assertTrue(!run.out().contains("tail-a"), run.out());
    FnmeshCli.Run internal = fnmesh("tail", "fnmesh.state", "--count", "1");
    assertEquals(1, internal.exitCode());
    assertTrue(internal.err().contains("404"), internal.err());
  }

  private static FnmeshCli.Run fnmesh(String... args) {
    return FnmeshCli.run(mesh.httpPort(), args);
  }
}
