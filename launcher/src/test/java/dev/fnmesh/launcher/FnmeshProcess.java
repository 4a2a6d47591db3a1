package dev.fnmesh.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code fnmesh} command run as a child JVM on the launcher's runtime classpath, as a user or a container runtime
 * runs it: its own stdout and stderr files, signals sent to it alone or to its whole process group.
 */
final class FnmeshProcess implements AutoCloseable {

  static final Duration START = Duration.ofSeconds(120);

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private FnmeshProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code fnmesh <arguments> --http-port <httpPort>} in a new session, so that it leads its own
   * process group as under a shell or a service manager, and waits until its health check answers.
   */
  static FnmeshProcess start(Path logs, String name, int httpPort, String... arguments) {
    return start(logs, name, httpPort, Map.of(), arguments);
  }

  /** As {@link #start(Path, String, int, String...)}, with these variables added to its environment. */
  static FnmeshProcess start(Path logs, String name, int httpPort, Map<String, String> env, String... arguments) {
    List<String> command = new ArrayList<>(List.of("setsid", javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", runtimeClasspath(), Main.class.getName()));
    command.addAll(List.of(arguments));
    command.addAll(List.of("--http-port", String.valueOf(httpPort)));
    Path stdout = logs.resolve(name + ".out");
    Path stderr = logs.resolve(name + ".err");
    try {
      // setsid execs the JVM in place when it is not a group leader, so the pid is fnmesh's own.
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      FnmeshProcess started = new FnmeshProcess(process, stdout, stderr);
      HttpClient http = HttpClient.newHttpClient();
      await().atMost(START).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        assertTrue(process.isAlive(), () -> name + " exited:\n" + started.stderr());
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/healthz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      });
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a command that does not serve HTTP, such as {@code fnmesh logs --follow}, as a child JVM writing to
   * {@code <name>.out} and {@code <name>.err} in {@code logs}; stop it with {@link #stop(Process)}.
   */
  static Process command(Path logs, String name, String... arguments) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
        "-cp", runtimeClasspath(), Main.class.getName()));
    command.addAll(List.of(arguments));
    try {
      return new ProcessBuilder(command).redirectOutput(logs.resolve(name + ".out").toFile())
          .redirectError(logs.resolve(name + ".err").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGTERM to fnmesh alone, as {@code kill PID} or a container runtime stopping PID 1. */
  void terminate() {
    process.destroy();
  }

  /** SIGTERM to fnmesh's whole process group, as Ctrl-C in a shell or systemd stopping a unit. */
  void terminateGroup() {
    signalGroup("TERM");
  }

  /** SIGKILL to fnmesh alone: no shutdown hook runs. */
  void kill() {
    process.destroyForcibly();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitCode() {
    return process.exitValue();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  /** Ends the process and whatever it left in its group, for a test that failed half-way. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      signalGroup("KILL");
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Ends a child JVM a test started itself, and what that started: SIGTERM, then SIGKILL when it has not ended
   * within 30 s. Does nothing for none or one that ended already.
   */
  static void stop(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private void signalGroup(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).inheritIO().start();
      assertEquals(0, kill.waitFor(), "kill -" + signal + " -- -" + process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The classpath the {@code fnmesh} script runs with: this module's classes, the example functions and the
   * runtime dependencies the package phase lists relative to the checkout; not the test classpath, whose
   * test-only jars (a Log4j implementation among them) would hide what a user sees.
   */
  private static String runtimeClasspath() {
    Path checkout = Path.of("..").toAbsolutePath().normalize();
    Path dependencies = Path.of("target/classpath.txt");
    assertTrue(Files.isRegularFile(dependencies), "the package phase writes " + dependencies.toAbsolutePath());
    List<String> entries = new ArrayList<>();
    entries.add(Path.of("target/classes").toAbsolutePath().toString());
    entries.add(checkout.resolve("examples/target/classes").toString());
    for (String entry : read(dependencies).strip().split(File.pathSeparator)) {
      entries.add(checkout.resolve(entry).toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
