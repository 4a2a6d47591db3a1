package dev.fnmesh.host.impl.process;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.host.FunctionBusy;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.QueuedFunction;
import dev.fnmesh.host.impl.http.HttpFunction;
import dev.fnmesh.host.logs.FunctionLogs;
import dev.fnmesh.host.logs.LogFields;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.HttpKind;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One replica of a process function: supervises its child process (start, readiness, restart with
 * backoff after an unexpected exit, stop) and delivers events to it over HTTP, a batch as one request. While the process is down,
 * events fail at once so the trigger's delivery policy retries them. Once the JVM shuts down nothing is
 * restarted: an exit then is the stop's doing (Ctrl-C signals the whole process group), not a crash. Its state changes on one Vert.x
 * context, the one it was created on; {@link #apply} may be called from any.
 */
public final class ProcessFunction implements QueuedFunction {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessFunction.class);
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String functionName;
  private final int replica;
  private final int port;
  private final CommandKind command;
  // The command's env with its secrets read: never logged.
  private final Map<String, String> env;
  private final Path workingDir;
  private final ProcessRecords records;
  private final Vertx vertx;
  private final Context context;
  private final HttpFunction http;
  private final ProcessRestartBackoff backoff = new ProcessRestartBackoff();
  // Read by apply on any thread: the process events go to, null while it is down, and why it is down.
  private volatile ProcessRun ready;
  private volatile String down = "it has not started yet";
  // Confined to the context.
  private ProcessRun current;
  private Future<ProcessRun> launching = Future.succeededFuture();
  private boolean stopping;
  private long restartTimer = -1;
  private Future<Void> stopped;

  /** @param env the command's {@code env:}, its secrets read when this replica started; kept for restarts */
  ProcessFunction(String functionName, int replica, int port, CommandKind command, Map<String, String> env,
      Path workingDir, ProcessRecords records, Vertx vertx) {
    this(functionName, replica, port, command, env, "/", workingDir, records, vertx);
  }

  /**
   * A replica whose process serves events at {@code path}: a container engine's {@code run}, whose output is the
   * container's, is supervised as any process.
   *
   * @param env the process's variables beside the few of the host's it always gets, secrets read; kept for restarts
   * @param path the path events are POSTed to, starting with {@code /}
   */
  public ProcessFunction(String functionName, int replica, int port, CommandKind command, Map<String, String> env,
      String path, Path workingDir, ProcessRecords records, Vertx vertx) {
    this.functionName = functionName;
    this.replica = replica;
    this.port = port;
    this.command = command;
    this.env = env;
    this.workingDir = workingDir;
    this.records = records;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    // The process is an http function on the loopback, sent binary-mode events.
    this.http = new HttpFunction(functionName, new HttpKind(URI.create("http://127.0.0.1:" + port + path),
        command.concurrency(), command.maxWaiting(), false), FunctionInstances.REQUEST_TIMEOUT, vertx);
  }

  @Override
  public String name() {
    return functionName;
  }

  /** @return the replies; fails at once while the process is down, otherwise as {@link HttpFunction#applyAll} */
  @Override
  public Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
    return ready == null ? notRunning(event) : http.applyAll(event, context);
  }

  /** @return as {@link #applyAll}; fails at once with {@link FunctionBusy} when {@code maxWaiting} calls wait */
  @Override
  public Future<List<CloudEvent>> applyAllUnlessBusy(CloudEvent event, FunctionContext context) {
    return ready == null ? notRunning(event) : http.applyAllUnlessBusy(event, context);
  }

  /** @return one result per event; fails at once while the process is down, otherwise as {@link HttpFunction#applyBatch} */
  @Override
  public Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext context) {
    return ready == null ? notRunning("a batch of " + events.size() + " events") : http.applyBatch(events, context);
  }

  private Future<List<CloudEvent>> notRunning(CloudEvent event) {
    return notRunning("event id=" + event.getId());
  }

  private <T> Future<T> notRunning(String sent) {
    return Future.failedFuture(new IllegalStateException("function '" + functionName + "' replica " + replica
        + " is not running: " + down + "; " + sent + " is a failed attempt"));
  }

  /** The port the process listens on. */
  public int port() {
    return port;
  }

  /** The pid of the process events go to, empty while it is down. */
  public OptionalLong pid() {
    ProcessRun run = ready;
    return run == null ? OptionalLong.empty() : OptionalLong.of(run.process.pid());
  }

  /** @return a future completed once the process listens; it fails, ending the process, when it does not */
  public Future<Void> start() {
    return onContext(() -> launch().transform(outcome -> {
      if (outcome.failed()) {
        // A replica that never came up is given up, not restarted: its trigger reports the failure.
        stopping = true;
        down = "it did not start";
        http.close();
        return Future.failedFuture(outcome.cause());
      }
      becomeReady(outcome.result());
      return Future.succeededFuture();
    }));
  }

  /**
   * Stops the process, SIGKILLing it when it has not ended {@link #STOP_GRACE} after SIGTERM.
   *
   * @return a future completed once it ended; calling again returns the same future; it never fails
   */
  public Future<Void> stop() {
    return onContext(() -> {
      if (stopped == null) {
        stopping = true;
        down = "it is stopping";
        ready = null;
        vertx.cancelTimer(restartTimer);
        Future<Void> ended = current == null ? Future.succeededFuture() : current.terminate(context, STOP_GRACE);
        // A start in progress sees `stopping` and ends its process itself.
        stopped = Future.join(ended, launching.otherwiseEmpty()).transform(outcome -> {
          http.close();
          fields().on(LOG.atInfo()).log("function process stopped port={}", port);
          return Future.<Void>succeededFuture();
        });
      }
      return stopped;
    });
  }

  private Future<ProcessRun> launch() {
    launching = context.executeBlocking(() -> ProcessRun.spawn(functionName, replica, port, command, env, workingDir, records,
        FunctionLogs.of(vertx)), false)
        .compose(run -> {
          current = run;
          fields().on(LOG.atInfo()).log("function process started pid={} port={} command={}", run.process.pid(), port,
              command.command());
          if (stopping) {
            return run.terminate(context, STOP_GRACE)
                .compose(v -> Future.<ProcessRun>failedFuture("stopped while starting"));
          }
          return ProcessReadiness.await(context, run, command.readiness()).transform(outcome -> outcome.succeeded()
              ? Future.succeededFuture(run)
              : run.terminate(context, Duration.ZERO).compose(v -> Future.<ProcessRun>failedFuture(outcome.cause())));
        });
    return launching;
  }

  private void becomeReady(ProcessRun run) {
    if (stopping) {
      run.terminate(context, STOP_GRACE);
      return;
    }
    ready = run;
    fields().on(LOG.atInfo()).log("function process ready pid={} port={}", run.process.pid(), port);
    // A wrapper has started the program proper by now: remembered, it is ended even after the wrapper died.
    context.executeBlocking(() -> {
      run.noteDescendants();
      return null;
    }, false).onFailure(e -> fields().on(LOG.atWarn()).log("function process children not read cause={}",
        e.getMessage()));
    run.process.onExit().thenRun(() -> context.runOnContext(v -> exited(run)));
  }

  private void exited(ProcessRun run) {
    if (run != ready || shuttingDown()) {
      return;
    }
    ready = null;
    down = "its process exited with code " + run.process.exitValue() + " and is restarting";
    Duration uptime = run.uptime();
    Duration delay = backoff.after(uptime);
    // What the process started may outlive it and hold the port: it ends before the next start.
    run.terminate(context, STOP_GRACE).onComplete(ended -> scheduleRestart(delay));
    run.outputDrained(context).onComplete(drained -> fields().on(LOG.atWarn()).log("function process exited pid={}"
        + " exitCode={} uptimeMs={} restartInMs={} lastOutput={}", run.process.pid(),
        run.process.exitValue(), uptime.toMillis(), delay.toMillis(), run.output.lastLinesText()));
  }

  private void scheduleRestart(Duration delay) {
    restartTimer = context.owner().setTimer(Math.max(1, delay.toMillis()), id -> {
      restartTimer = -1;
      if (shuttingDown()) {
        return;
      }
      launch().onComplete(outcome -> {
        if (outcome.succeeded()) {
          becomeReady(outcome.result());
        } else if (!shuttingDown()) {
          down = "its restart failed and is retried: " + outcome.cause().getMessage();
          Duration next = backoff.after(Duration.ZERO);
          fields().on(LOG.atWarn()).log("function process restart failed restartInMs={} cause={}", next.toMillis(),
              outcome.cause().getMessage());
          scheduleRestart(next);
        }
      });
    });
  }

  /** Whether this replica is stopping or the JVM shutting down; the latter makes it stop restarting. */
  private boolean shuttingDown() {
    if (!stopping && ProcessFamily.jvmShuttingDown()) {
      stopping = true;
      down = "fnmesh is shutting down";
      vertx.cancelTimer(restartTimer);
    }
    return stopping;
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  /** The fields of this replica's log lines. */
  private LogFields fields() {
    return LogFields.function(functionName).with(LogFields.REPLICA, replica);
  }
}
