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
 * logger that fell back to a default of its own, and every line is in fnmesh's text format.
 */
class CleanStartIT {

  /** Lines of a library whose logging is not routed through fnmesh's Log4j setup, or of a schema fnmesh misreads. */
  private static final List<Pattern> UNCONFIGURED = List.of(
      Pattern.compile("StatusLogger"),                        // Log4j 2 API without an implementation
      // Log4j 2's own status lines (a configuration it cannot read, a logger context made at shutdown).
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+ \\S+ (WARN|ERROR|FATAL) "),
      Pattern.compile("^SLF4J\\((W|E)\\)|^SLF4J:"),           // slf4j without (or with several) providers
      Pattern.compile("^log4j:WARN"),                         // Log4j 1.x without configuration
      Pattern.compile("^(INFO|WARNING|SEVERE): "),            // java.util.logging's default console format
      Pattern.compile("UnknownKeyword"));                     // a schema keyword the validator does not know

  /** A line of fnmesh's text format: time, thread, level, logger, message. */
  private static final Pattern OURS =
      Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]*] (TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - ");
  /** The lines of a stack trace that follows a line of ours. */
  private static final Pattern STACK_TRACE = Pattern.compile("^(\\s+at |\\s+\\.\\.\\. \\d+ (more|common frames omitted)"
      + "|Caused by: |\\s*Suppressed: |[\\w.$]+(Exception|Error|Throwable)(: |$))");

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
      await().atMost(FnmeshProcess.START).until(() -> fnmesh.stderr().lines()
          .anyMatch(line -> line.contains("function process ready") && line.contains(" function=hello")));
      fnmesh.terminate();
      await().atMost(Duration.ofSeconds(60)).until(() -> !fnmesh.isAlive());

      List<String> unconfigured = fnmesh.stderr().lines()
          .filter(line -> UNCONFIGURED.stream().anyMatch(pattern -> pattern.matcher(line).find()))
          .toList();
      assertTrue(unconfigured.isEmpty(), () -> "lines of an unconfigured logger:\n" + String.join("\n", unconfigured));
      List<String> foreign = fnmesh.stderr().lines()
          .filter(line -> !OURS.matcher(line).find() && !STACK_TRACE.matcher(line).find())
          .toList();
      assertTrue(foreign.isEmpty(), () -> "lines not in fnmesh's log format:\n" + String.join("\n", foreign));
      assertTrue(fnmesh.stdout().startsWith("fnmesh is up"), () -> "stdout holds the banner only:\n" + fnmesh.stdout());
    }
  }
}
