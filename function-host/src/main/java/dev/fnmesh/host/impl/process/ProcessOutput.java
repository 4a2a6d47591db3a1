package dev.fnmesh.host.impl.process;

import dev.fnmesh.host.logs.FunctionLogEntry;
import dev.fnmesh.host.logs.FunctionLogs;
import dev.fnmesh.host.logs.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a function process's stdout and stderr line by line to the host's log and to the function's recent
 * log ({@link FunctionLogs}), tagged with the function and replica, and keeps the last lines for error messages. Lines are cut as {@link ProcessOutputLines}
 * cuts them, so what is logged and kept stays bounded. Each stream is read on its own daemon thread,
 * since reads block; a thread ends when its stream closes, i.e. when the process ended.
 */
final class ProcessOutput {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessOutput.class);
  static final int KEPT_LINES = 20;

  private final String functionName;
  private final int replica;
  private final long pid;
  private final FunctionLogs logs;
  private final LogFields fields;
  private final Deque<String> recent = new ArrayDeque<>();
  private final CompletableFuture<Void> stdoutClosed = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrClosed = new CompletableFuture<>();

  private ProcessOutput(String functionName, int replica, long pid, FunctionLogs logs) {
    this.functionName = functionName;
    this.replica = replica;
    this.pid = pid;
    this.logs = logs;
    this.fields = LogFields.function(functionName).with(LogFields.REPLICA, replica);
  }

  /** @param logs where each line is recorded, besides the host's log */
  static ProcessOutput follow(Process process, String functionName, int replica, FunctionLogs logs) {
    ProcessOutput output = new ProcessOutput(functionName, replica, process.pid(), logs);
    output.pump(process.getInputStream(), FunctionLogEntry.Stream.STDOUT, output.stdoutClosed);
    output.pump(process.getErrorStream(), FunctionLogEntry.Stream.STDERR, output.stderrClosed);
    return output;
  }

  /**
   * Completes once both streams were read to their end, so {@link #lastLines()} holds the process's last
   * words; a descendant that keeps a stream open delays it, so callers bound the wait.
   */
  CompletableFuture<Void> closed() {
    return CompletableFuture.allOf(stdoutClosed, stderrClosed);
  }

  /**
   * The last lines of both streams in the order they were read, at most {@value #KEPT_LINES}, each cut to
   * {@value ProcessOutputLines#MAX_LINE_BYTES} bytes.
   */
  synchronized List<String> lastLines() {
    return List.copyOf(recent);
  }

  /** The last lines as one string for a message, or a note that there were none. */
  String lastLinesText() {
    List<String> lines = lastLines();
    return lines.isEmpty() ? "(no output)" : String.join(" | ", lines);
  }

  private void pump(InputStream stream, FunctionLogEntry.Stream kind, CompletableFuture<Void> closed) {
    String streamName = kind.jsonName();
    Thread thread = new Thread(() -> {
      try (stream) {
        new ProcessOutputLines(line -> {
          fields.on(LOG.atInfo()).log("pid={} stream={} line={}", pid, streamName, line);
          logs.record(FunctionLogEntry.line(functionName, replica, kind, line));
          remember(streamName + ": " + line);
        }).readAll(stream);
      } catch (IOException e) {
        // A destroyed process may close its pipe under the reader; everything before was logged.
        fields.on(LOG.atDebug()).log("function output closed pid={} stream={} cause={}", pid, streamName, e.toString());
      } finally {
        closed.complete(null);
      }
    }, "fnmesh-function-" + functionName + "-" + replica + "-" + streamName);
    thread.setDaemon(true);
    thread.start();
  }

  private synchronized void remember(String line) {
    if (recent.size() == KEPT_LINES) {
      recent.removeFirst();
    }
    recent.addLast(line);
  }
}
