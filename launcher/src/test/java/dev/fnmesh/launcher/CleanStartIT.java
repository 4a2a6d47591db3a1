package dev.fnmesh.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fnmesh up} with its embedded broker, a Java and a process function, started and stopped as a
 * user does it: every library logs through fnmesh's one logging setup, so stderr holds no line of a
 * logger that fell back to a default of its own.
 */
class CleanStartIT {

  /** Lines of a library whose logging is not routed through slf4j-simple, or of a schema fnmesh misreads. */
  private static final List<Pattern> UNCONFIGURED = List.of(
      Pattern.compile("StatusLogger"),                        // Log4j 2 API without an implementation
      Pattern.compile("^SLF4J\\((W|E)\\)|^SLF4J:"),           // slf4j without (or with several) providers
      Pattern.compile("^log4j:WARN"),                         // Log4j 1.x without configuration
      Pattern.compile("^(INFO|WARNING|SEVERE): "),            // java.util.logging's default console format
      Pattern.compile("UnknownKeyword"));                     // a schema keyword the validator does not know

  private static final Path HELLO = Path.of("../examples/hello-python").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void aCleanStartAndStopPrintsOnlyFnmeshsOwnLogLines() throws Exception {
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          greeter: { java: greeter }
          hello: { command: [python3, %s/main.py] }
        triggers:
          greet:
            kafka: { topic: greetings, partitions: 1 }
            function: greeter
          hello:
            kafka: { topic: hello, partitions: 1 }
            function: hello
            scale: { min: 1 }
          hook:
            webhook: { path: inbox }
            function: greeter
        """.formatted(HELLO));
    try (FnmeshProcess fnmesh = FnmeshProcess.start(dir, "fnmesh", FnmeshProcess.freePort(), "up",
        "--config", meshFile.toString(), "--kafka-port", String.valueOf(FnmeshProcess.freePort()),
        "--data-dir", dir.resolve("data").toString(), "--schemas-dir", dir.toString(),
        "--functions-dir", dir.toString())) {
      await().atMost(FnmeshProcess.START).until(() -> fnmesh.stderr().contains("function process ready function=hello"));
      fnmesh.terminate();
      await().atMost(Duration.ofSeconds(60)).until(() -> !fnmesh.isAlive());

      List<String> unconfigured = fnmesh.stderr().lines()
          .filter(line -> UNCONFIGURED.stream().anyMatch(pattern -> pattern.matcher(line).find()))
          .toList();
      assertTrue(unconfigured.isEmpty(), () -> "lines of an unconfigured logger:\n" + String.join("\n", unconfigured));
      assertTrue(fnmesh.stdout().startsWith("fnmesh is up"), () -> "stdout holds the banner only:\n" + fnmesh.stdout());
    }
  }
}
