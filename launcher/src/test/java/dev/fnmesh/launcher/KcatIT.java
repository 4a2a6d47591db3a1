package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kcat (librdkafka), a Kafka client nobody here wrote, writes a binary-mode CloudEvent the mesh handles,
 * and reads the mesh's replies with the CloudEvents Kafka binding's headers. Skipped where kcat is absent.
 */
class KcatIT {

  private static String topic;
  private static TestMesh mesh;

  @BeforeAll
  static void startMesh() {
    assumeTrue(run(List.of("kcat", "-V"), null).exitCode() == 0, "kcat is not installed");
    topic = KafkaFixture.uniqueTopic("kcat");
    mesh = TestMesh.start("""
        functions:
          greeter: { java: greeter }
        triggers:
          greet:
            kafka: { topic: %s, partitions: 2 }
            function: greeter
            reply: { topic: %s.replies }
        """.formatted(topic, topic));
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void anEventWrittenByKcatIsAnsweredOnTheReplyTopicAsKcatReadsIt() {
    String id = UUID.randomUUID().toString();
    Result produced = run(List.of("kcat", "-b", KafkaFixture.bootstrapServers(), "-t", topic, "-P",
        "-H", "ce_specversion=1.0", "-H", "ce_id=" + id, "-H", "ce_source=urn:kcat", "-H", "ce_type=dev.fnmesh.test",
        "-H", "content-type=application/json"), "{\"name\":\"Kat\"}");
    assertEquals(0, produced.exitCode(), produced.output());

    await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      Result replies = run(List.of("kcat", "-b", KafkaFixture.bootstrapServers(), "-t", topic + ".replies", "-C",
          "-e", "-q", "-o", "beginning", "-f", "%h|%s\\n"), null);
      String line = replies.output().lines().filter(l -> l.contains("ce_subject=" + id)).findFirst().orElse("");
      assertTrue(line.contains("ce_specversion=1.0"), replies.output());
      assertTrue(line.contains("content-type=text/plain"), line);
      assertTrue(line.endsWith("|Kat, Hello Serverless World!"), line);
    });
  }

  @Test
  void anEventPublishedOverHttpIsReadByKcatWithItsAttributesAsHeaders() {
    String id = UUID.randomUUID().toString();
    assertEquals(202, mesh.send(mesh.request("/topics/" + topic)
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/http")
        .header("ce-type", "dev.fnmesh.test").header("ce-partitionkey", "p1").header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("hello"))).statusCode());

    Result read = run(List.of("kcat", "-b", KafkaFixture.bootstrapServers(), "-t", topic, "-C", "-e", "-q",
        "-o", "beginning", "-f", "%k|%h|%s\\n"), null);
    String line = read.output().lines().filter(l -> l.contains("ce_id=" + id)).findFirst().orElse("");
    assertTrue(line.startsWith("p1|"), read.output());
    assertTrue(line.contains("ce_source=/http") && line.contains("ce_type=dev.fnmesh.test"), line);
    assertTrue(line.endsWith("|hello"), line);
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, String input) {
    try {
      Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      if (input != null) {
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.getMessage());
    }
  }
}
