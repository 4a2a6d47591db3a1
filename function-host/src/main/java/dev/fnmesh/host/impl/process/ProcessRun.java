package dev.fnmesh.host.impl.process;

import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.logs.FunctionLogs;
import dev.fnmesh.host.logs.LogFields;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of a function's command: the child process, its output and how to end it. Its
 * {@link ProcessFamily} ends it and its descendants when the JVM shuts down, so a host that exits without
 * stopping its functions leaves no process behind.
 */
final class ProcessRun {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRun.class);
  private static final long DRAIN_MS = 1000;

  final String functionName;
  final int replica;
  final int port;
  final List<String> command;
  final Process process;
  final ProcessOutput output;
  private final ProcessFamily family;
  private final long startedNanos = System.nanoTime();

  private ProcessRun(String functionName, int replica, int port, List<String> command, ProcessFamily family,
      FunctionLogs logs) {
    this.functionName = functionName;
    this.replica = replica;
    this.port = port;
    this.command = command;
    this.family = family;
    this.process = family.process();
    this.output = ProcessOutput.follow(process, functionName, replica, logs);
  }

  /**
   * Starts the command with the environment of {@link ProcessEnvironment}, none other of the host's.
   * Blocking (fork and exec): call on a worker.
   *
   * @param env the function's {@code env:}, its secrets read
   * @param logs where the process's output lines are recorded
   *
   * @throws IOException naming the command and what stopped it: a missing working directory, a port in
   *     use by another program, a program that cannot be run, a JVM shutting down
   */
  static ProcessRun spawn(String functionName, int replica, int port, CommandKind command, Map<String, String> env,
      Path workingDir, ProcessRecords records, FunctionLogs logs) throws IOException {
    String what = "function '" + functionName + "' replica " + replica + ": command " + command.command();
    if (!Files.isDirectory(workingDir)) {
      throw new IOException(what + ": workingDir " + workingDir + " is not a directory");
    }
    try (ServerSocket probe = new ServerSocket()) {
      // A port someone else listens on would make the readiness check pass for the wrong program.
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IOException(what + ": port " + port + " on 127.0.0.1 is already in use by another program", e);
    }
    ProcessBuilder builder = new ProcessBuilder(command.command()).directory(workingDir.toFile());
    // The builder starts from a copy of the host's environment: cleared, the process sees only its own.
    builder.environment().clear();
    builder.environment().putAll(ProcessEnvironment.of(System.getenv(), env, functionName, replica, port));
    ProcessFamily family;
    try {
      family = ProcessFamily.start(functionName + "-" + replica, builder, ProcessFunction.STOP_GRACE, records);
    } catch (IOException e) {
      throw new IOException(what + " could not be started in " + workingDir + ": " + e.getMessage(), e);
    }
    // Events arrive over HTTP only; a closed stdin tells a program that reads it that nothing comes.
    family.process().getOutputStream().close();
    return new ProcessRun(functionName, replica, port, command.command(), family, logs);
  }

  /** A port on 127.0.0.1 that nobody listened on a moment ago. Blocking: call on a worker. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Remembers the processes the command started so far. Blocking: call on a worker. */
  void noteDescendants() {
    family.noteDescendants();
  }

  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /**
   * Waits, at most {@value #DRAIN_MS} ms, until the output of a process that ended has been read, so
   * messages about its end quote its last lines.
   *
   * @return a future completed on {@code context}; it never fails
   */
  Future<Void> outputDrained(Context context) {
    Promise<Void> drained = Promise.promise();
    output.closed().completeOnTimeout(null, DRAIN_MS, TimeUnit.MILLISECONDS)
        .whenComplete((done, failure) -> context.runOnContext(v -> drained.complete()));
    return drained.future();
  }

  /** Names the process for messages: function, replica, command, port and pid. */
  String describe() {
    return "function '" + functionName + "' replica " + replica + " (command " + command + ", port " + port + ", pid "
        + process.pid() + ")";
  }

  /**
   * Sends SIGTERM to the process and its descendants, those alive now and those seen before (a wrapper
   * that exited leaves its children to init), and SIGKILL to those still alive after {@code grace}; a zero
   * grace sends SIGKILL at once.
   *
   * @return a future completed on {@code context} once all of them ended; it never fails
   */
  Future<Void> terminate(Context context, Duration grace) {
    // Finding the descendants reads the whole process table: on a worker, not on the caller's event loop.
    return context.<List<ProcessHandle>>executeBlocking(family::alive, false)
        .compose(handles -> terminate(context, grace, handles));
  }

  private Future<Void> terminate(Context context, Duration grace, List<ProcessHandle> handles) {
    CompletableFuture<?> allEnded = CompletableFuture.allOf(
        handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
    allEnded.whenComplete((done, failure) -> family.unregister());
    Promise<Void> ended = Promise.promise();
    if (grace.isZero()) {
      handles.forEach(ProcessHandle::destroyForcibly);
      allEnded.whenComplete((done, failure) -> context.runOnContext(v -> ended.tryComplete()));
      return ended.future();
    }
    handles.forEach(ProcessHandle::destroy);
    context.runOnContext(start -> {
      long timer = context.owner().setTimer(grace.toMillis(), id -> {
        if (!allEnded.isDone()) {
          LogFields.function(functionName).with(LogFields.REPLICA, replica).on(LOG.atWarn())
              .log("function process did not end on SIGTERM, killing it pid={} graceMs={}", process.pid(), grace.toMillis());
          handles.forEach(ProcessHandle::destroyForcibly);
        }
      });
      // Exits are reported on a JDK thread; the caller's state lives on its context.
      allEnded.whenComplete((done, failure) -> context.runOnContext(v -> {
        context.owner().cancelTimer(timer);
        ended.tryComplete();
      }));
    });
    return ended.future();
  }
}
