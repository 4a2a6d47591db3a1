package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Functions outside the host's JVM: a Python process per replica, scaled by lag, and a jar swapped under load. */
class AnyLanguageIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Path HELLO = Path.of("../examples/hello-python/main.py").toAbsolutePath().normalize();
  @TempDir
  Path dir;

  @Test
  void aProcessFunctionScalesToSeveralProcessesUnderABacklogAndBackToNone() throws Exception {
    String topic = KafkaFixture.uniqueTopic("hello");
    KafkaFixture.createTopic(topic, 4);
    write(topic, 400, "h", "{\"name\":\"Ada\"}");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          hello: { command: [python3, %2$s] }
        triggers:
          greet:
            kafka: { topic: %1$s, partitions: 4 }
            function: hello
            reply: { topic: %1$s.replies }
            scale: { max: 3, lagThreshold: 20, cooldown: PT2S, pollInterval: PT0.2S }
        """.formatted(topic, HELLO))) {
      AtomicInteger most = new AtomicInteger();
      List<String> expected = IntStream.range(0, 400).mapToObj(i -> "h-" + i).toList();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
        most.accumulateAndGet((int) helloProcesses(), Math::max);
        return most.get() >= 2;
      });
      List<CloudEvent> replies = TestMesh.readRecordsUntil(topic + ".replies",
              records -> records.stream().map(r -> subjectOf(r)).toList().containsAll(expected), WAIT).stream()
          .map(CloudEventRecords::fromRecord).toList();
      assertEquals("Ada, Hello Serverless World!", new String(replies.get(0).getData().toBytes(), StandardCharsets.UTF_8));
      await().atMost(WAIT).until(() -> helloProcesses() == 0);
      assertTrue(most.get() >= 2 && most.get() <= 3, "processes followed the replicas, at most max: " + most.get());
    }
  }

  @Test
  void aJarReplacedUnderLoadSwapsTheFunctionWithoutLosingAnEvent() throws Exception {
    Path functions = dir.resolve("functions");
    Files.createDirectories(functions);
    Path built = Path.of("../functions/resize.jar").toAbsolutePath().normalize();
    assertTrue(Files.exists(built), "examples/resize-java builds " + built + " before this module");
    Files.copy(built, functions.resolve("resize.jar"));
    String topic = KafkaFixture.uniqueTopic("resize");
    try (TestMesh mesh = TestMesh.start("""
        functions:
          resize: { java: resize, jar: resize.jar }
        triggers:
          resize:
            kafka: { topic: %1$s, partitions: 2 }
            function: resize
            reply: { topic: %1$s.replies }
            scale: { min: 1 }
        """.formatted(topic), functions)) {
      write(topic, 200, "r", "{\"width\":1600,\"height\":900,\"max\":400}");
      await().atMost(WAIT).until(() -> received(mesh) > 0);
      // A new version of the jar: the same function in other bytes, replaced while events flow.
      Path next = dir.resolve("next.jar");
      Files.copy(built, next);
      Files.write(next, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
      write(topic, 200, "s", "{\"width\":800,\"height\":800,\"max\":400}");
      long before = received(mesh);
      Files.copy(next, functions.resolve("resize.jar"), StandardCopyOption.REPLACE_EXISTING);
      // The trigger restarted with the new jar: its event counters started again.
      await().atMost(WAIT).until(() -> received(mesh) < before);

      List<String> expected = new ArrayList<>();
      IntStream.range(0, 200).forEach(i -> expected.add("r-" + i));
      IntStream.range(0, 200).forEach(i -> expected.add("s-" + i));
      List<String> subjects = TestMesh.readRecordsUntil(topic + ".replies",
          records -> records.stream().map(AnyLanguageIT::subjectOf).toList().containsAll(expected), WAIT).stream()
          .map(AnyLanguageIT::subjectOf).toList();
      assertTrue(subjects.containsAll(expected), "every event answered across the swap");
    }
  }

  // 0 while the trigger is between its old and its new replicas.
  private static long received(TestMesh mesh) {
    var triggers = new JsonObject(mesh.send(mesh.request("/api/triggers").GET()).body()).getJsonArray("triggers");
    return triggers.isEmpty() ? 0 : triggers.getJsonObject(0).getJsonObject("events").getLong("received");
  }

  private static String subjectOf(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {
    var header = record.headers().lastHeader("ce_subject");
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static long helloProcesses() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(HELLO.toString())).orElse(false)).count();
  }

  private static void write(String topic, int count, String prefix, String json) throws Exception {
    List<Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      for (int i = 0; i < count; i++) {
        CloudEvent event = CloudEventBuilder.v1().withId(prefix + "-" + i).withSource(URI.create("/any"))
            .withType("t").withData("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
        sent.add(producer.send(CloudEventRecords.toRecord(topic, event, String.valueOf(i).getBytes())));
      }
    }
    for (Future<?> send : sent) {
      send.get();
    }
  }
}
