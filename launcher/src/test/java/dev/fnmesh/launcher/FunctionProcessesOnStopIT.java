package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fnmesh up} as a child process running a process function, stopped the ways it is stopped in real
 * life. The function is a shell wrapper whose child, the server proper, ignores SIGTERM: the hardest case,
 * where only a SIGKILL after the grace ends it and only fnmesh knows the child belongs to it. Whatever
 * stops fnmesh, it exits within the grace and leaves no process of the function behind.
 */
class FunctionProcessesOnStopIT {

  /** The stop grace of a function process plus room for fnmesh's own stop on a busy machine. */
  private static final Duration STOPPED = Duration.ofSeconds(30);
  private static final Pattern STARTED = Pattern.compile("function process started .* function=wrapped ");

  @TempDir
  Path dir;
  private Path function;
  private Path meshFile;

  @BeforeEach
  void writeMeshWithAWrappedFunction() throws IOException {
    function = Files.createDirectories(dir.resolve("function"));
    Files.writeString(function.resolve("run.sh"), """
        # A wrapper, as a start script or `npm start` is: the server is its child, not the process fnmesh started.
        python3 "$(dirname "$0")/server.py" &
        wait
        """);
    Files.writeString(function.resolve("server.py"), """
        import os, signal, socket, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", int(os.environ["PORT"])))
        server.listen()
        while True:
            time.sleep(60)
        """);
    String topic = KafkaFixture.uniqueTopic("stop");
    meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          wrapped: { command: [sh, %s] }
        triggers:
          work:
            kafka: { topic: %s, partitions: 1 }
            function: wrapped
            scale: { min: 1 }
        """.formatted(function.resolve("run.sh"), topic));
  }

  @Test
  void aSigtermToFnmeshAloneEndsTheFunctionAndItsChildBeforeFnmeshExits() throws Exception {
    try (FnmeshProcess fnmesh = start("first")) {
      List<ProcessHandle> running = functionProcesses(2);

      fnmesh.terminate();

      await().atMost(STOPPED).until(() -> !fnmesh.isAlive());
      assertEquals(List.of(), alive(running), "function processes fnmesh left behind");
      assertEquals(List.of(), functionProcesses(), "function processes started while fnmesh stopped");
    }
  }

  @Test
  void aSigtermToTheWholeProcessGroupRestartsNothingAndLeavesNothing() throws Exception {
    try (FnmeshProcess fnmesh = start("group")) {
      List<ProcessHandle> running = functionProcesses(2);

      fnmesh.terminateGroup();

      await().atMost(STOPPED).until(() -> !fnmesh.isAlive());
      assertEquals(List.of(), alive(running), "function processes fnmesh left behind");
      assertEquals(List.of(), functionProcesses(), "function processes started while fnmesh stopped");
      assertEquals(1, STARTED.matcher(fnmesh.stderr()).results().count(),
          () -> "the function's exit during the stop was taken for a crash and restarted:\n" + fnmesh.stderr());
    }
  }

  @Test
  void theNextStartEndsTheFunctionProcessesAKilledFnmeshLeftBehind() throws Exception {
    List<ProcessHandle> leftBehind;
    try (FnmeshProcess fnmesh = start("killed")) {
      leftBehind = functionProcesses(2);
      fnmesh.kill();
      await().atMost(STOPPED).until(() -> !fnmesh.isAlive());
    }
    assertEquals(leftBehind, alive(leftBehind), "no shutdown hook runs on SIGKILL: the function outlives fnmesh");

    try (FnmeshProcess fnmesh = start("next")) {
      assertEquals(List.of(), alive(leftBehind), "the next start ended what the killed one left behind");
      List<ProcessHandle> running = functionProcesses(2);
      fnmesh.terminate();
      await().atMost(STOPPED).until(() -> !fnmesh.isAlive());
      assertEquals(List.of(), alive(running));
    }
  }

  @AfterEach
  void endWhatATestLeftBehind() {
    functionProcesses().forEach(ProcessHandle::destroyForcibly);
  }

  private FnmeshProcess start(String name) {
    FnmeshProcess fnmesh = FnmeshProcess.start(dir, name, FnmeshProcess.freePort(), "up", "--config",
        meshFile.toString(), "--kafka", KafkaFixture.bootstrapServers(), "--data-dir", dir.resolve("data").toString());
    await().atMost(FnmeshProcess.START).until(() -> fnmesh.stderr().lines()
        .anyMatch(line -> line.contains("function process ready") && line.contains(" function=wrapped")));
    return fnmesh;
  }

  /** Waits until the function runs as {@code count} processes, the wrapper and its server, and returns them. */
  private List<ProcessHandle> functionProcesses(int count) {
    return await().atMost(FnmeshProcess.START).until(this::functionProcesses, processes -> processes.size() == count);
  }

  /** Every process on the machine whose command line names the function's directory. */
  private List<ProcessHandle> functionProcesses() {
    String marker = function.toString();
    return ProcessHandle.allProcesses()
        .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
        .toList();
  }

  private static List<ProcessHandle> alive(List<ProcessHandle> processes) {
    return processes.stream().filter(ProcessHandle::isAlive).toList();
  }
}
