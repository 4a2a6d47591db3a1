package dev.fnmesh.launcher;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import io.cloudevents.CloudEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An image function for real: the example image built with podman, a mesh whose trigger delivers to it, its reply,
 * its output in {@code fnmesh logs}, and its container gone once the mesh stopped. Skipped, saying why, where
 * podman cannot run containers.
 */
class ImageFunctionIT {

  private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
  private static final String BASE = "localhost/fnmesh-base:bookworm";
  private static final String IMAGE = "localhost/fnmesh-shout:it";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @BeforeAll
  static void buildTheExampleImage() throws Exception {
    String engineMissing = run(List.of("podman", "info"), Duration.ofSeconds(60));
    Assumptions.assumeTrue(engineMissing == null, () -> "image function test skipped: podman cannot run containers"
        + " here: " + engineMissing);
    if (run(List.of("podman", "image", "exists", BASE), Duration.ofSeconds(30)) != null) {
      String failed = run(List.of(CHECKOUT.resolve("image/base/build").toString(), "podman", BASE), Duration.ofMinutes(10));
      Assumptions.assumeTrue(failed == null, () -> "image function test skipped: the base image " + BASE
          + " could not be built offline (image/base/build): " + failed);
    }
    String built = run(List.of("podman", "build", "--pull=never", "-t", IMAGE,
        CHECKOUT.resolve("examples/shout-python").toString()), Duration.ofMinutes(5));
    assertEquals(null, built, "the example's Containerfile builds");
  }

  @Test
  void aTriggerDeliversToTheContainerOfAnImageFunctionAndItsContainerIsGoneOnceTheMeshStopped() throws Exception {
    String topic = KafkaFixture.uniqueTopic("shouts");
    // A secret of env: read on the host from a file, handed to the container, never on a command line.
    Path tag = Files.writeString(dir.resolve("tag"), "tag-from-a-secret");
    String function = "shout" + Long.toString(System.nanoTime() % 100_000);
    try (TestMesh mesh = TestMesh.start("""
        functions:
          %1$s:
            image: %2$s
            port: 8000
            env: { TAG: { file: %3$s } }
            memory: 128Mi
        triggers:
          shout:
            kafka: { topic: %4$s, partitions: 1 }
            function: %1$s
            reply: { topic: %4$s.replies }
            scale: { min: 1 }
        """.formatted(function, IMAGE, tag, topic))) {
      FnmeshCli.Run published = FnmeshCli.run(mesh.httpPort(), "publish", topic, "--type", "test.said", "--id", "said-1",
          "--data", "{\"text\":\"hello\"}");
      assertEquals(0, published.exitCode(), published.err());

      CloudEvent reply = CloudEventRecords.fromRecord(TestMesh.readRecords(topic + ".replies", 1, WAIT).get(0));
      assertEquals(new JsonObject().put("text", "HELLO").put("tag", "tag-from-a-secret"),
          new JsonObject(new String(reply.getData().toBytes(), StandardCharsets.UTF_8)));
      assertEquals("said-1", reply.getSubject());
      assertTrue(engineCommandLines(function).stream().noneMatch(line -> line.contains("tag-from-a-secret")),
          engineCommandLines(function).toString());
      await().atMost(WAIT).untilAsserted(() -> {
        FnmeshCli.Run logs = FnmeshCli.run(mesh.httpPort(), "logs", function);
        assertEquals(0, logs.exitCode(), logs.err());
        assertTrue(logs.out().contains("shout listening port=8000"), logs.out());
      });
      assertFalse(containers(function).isBlank(), "the container runs while the mesh does");
    }
    await().atMost(WAIT).until(() -> containers(function).isBlank());
  }

  @Test
  void aReloadThatDropsAnImageFunctionRemovesItsContainer() throws Exception {
    String topic = KafkaFixture.uniqueTopic("dropped");
    String function = "dropped" + Long.toString(System.nanoTime() % 100_000);
    try (TestMesh mesh = TestMesh.start("""
        functions:
          %1$s: { image: %2$s, port: 8000 }
        triggers:
          shout:
            kafka: { topic: %3$s, partitions: 1 }
            function: %1$s
            scale: { min: 1 }
        """.formatted(function, IMAGE, topic))) {
      await().atMost(WAIT).until(() -> !containers(function).isBlank());

      Files.writeString(mesh.meshFile(), """
          functions:
            echo: { java: echo }
          triggers:
            shout:
              kafka: { topic: %s, partitions: 1 }
              function: echo
          """.formatted(topic));

      await().atMost(WAIT).until(() -> containers(function).isBlank());
    }
  }

  /** The command lines of the engine processes that run this function's containers. */
  private static List<String> engineCommandLines(String function) {
    return ProcessHandle.allProcesses().map(process -> process.info().commandLine().orElse(""))
        .filter(line -> line.contains("--label=dev.fnmesh.function=" + function)).toList();
  }

  /** The names of the containers of this function, running or not. */
  private static String containers(String function) throws Exception {
    Path out = Files.createTempFile("containers", ".txt");
    Process ps = new ProcessBuilder("podman", "ps", "--all", "--filter", "label=dev.fnmesh.function=" + function,
        "--format", "{{.Names}}").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(ps.waitFor(60, TimeUnit.SECONDS), "podman ps ended");
    String names = Files.readString(out).strip();
    Files.delete(out);
    return names;
  }

  /** Runs a command to its end; null when it succeeded, else why not. */
  private static String run(List<String> command, Duration within) throws InterruptedException {
    try {
      Path out = Files.createTempFile("engine", ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return String.join(" ", command) + " did not end within " + within;
      }
      String output = Files.readString(out).strip();
      Files.delete(out);
      return process.exitValue() == 0 ? null
          : String.join(" ", command) + " exited with " + process.exitValue() + ": " + tail(output);
    } catch (IOException e) {
      return String.join(" ", command) + " could not run: " + e.getMessage();
    }
  }

  private static String tail(String output) {
    return output.length() > 800 ? output.substring(output.length() - 800) : output;
  }
}
