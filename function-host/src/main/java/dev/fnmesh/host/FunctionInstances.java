package dev.fnmesh.host;

import dev.fnmesh.host.impl.container.ContainerFunctionInstances;
import dev.fnmesh.host.impl.http.HttpFunctionInstances;
import dev.fnmesh.host.impl.process.ProcessFunctionInstances;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ImageKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A function that runs outside the host's JVM and is started per trigger replica: a child process per
 * replica, or one shared HTTP client for a remote URL. {@link HostedFunction#startInstance()} starts one
 * instance for each replica of a trigger, so a trigger at zero replicas runs none.
 */
public interface FunctionInstances {

  /**
   * How long one HTTP request to a function may take before its connection is given up, Cloud Run's
   * default: a backstop that frees connections, set above the delivery timeouts that cut attempts off first.
   */
  Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Starts one more instance, numbered with the lowest replica number not in use.
   *
   * @return the running instance; fails when it could not start, with a message naming the command, the
   *     port and the last lines the process wrote
   */
  Future<Instance> start();

  /**
   * A running instance: the function events are delivered to, and how to stop it.
   *
   * @param replica the instance's number, 0 for the first; numbers are reused once an instance stopped
   * @param function delivers events to this instance; its futures fail fast while the instance is down
   * @param stopping what {@link #stop()} does, which the kind of instance decides
   */
  record Instance(int replica, QueuedFunction function, Supplier<Future<Void>> stopping) {

    public Instance {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(stopping, "stopping");
    }

    /** Stops the instance; calling it again does nothing. The future completes when it ended; it never fails. */
    public Future<Void> stop() {
      return stopping.get();
    }
  }

  /** A function at a URL: every instance shares one connection pool and one concurrency limit. */
  static FunctionInstances http(String functionName, HttpKind kind, Vertx vertx) {
    return new HttpFunctionInstances(functionName, kind, REQUEST_TIMEOUT, vertx);
  }

  /**
   * A function run as a child process, one per instance, restarted when it exits unexpectedly; its
   * processes are noted in {@code records}.
   *
   * @param workingDir the directory the processes start in: the command's own, resolved against the mesh's
   * @param secrets reads the secrets of the command's env as each instance starts
   */
  static FunctionInstances process(String functionName, CommandKind command, Path workingDir,
      ProcessRecords records, FunctionSecrets secrets, Vertx vertx) {
    return new ProcessFunctionInstances(functionName, command, workingDir, records, secrets, vertx);
  }

  /**
   * A function run as a container, one per instance, started with the engine of {@code containers}, which must
   * have one; the engine's processes are noted in {@code records}.
   *
   * @param workingDir the directory the engine starts in
   * @param secrets reads the secrets of the image's env as each instance starts
   */
  static FunctionInstances container(String functionName, ImageKind kind, FunctionContainers containers,
      Path workingDir, ProcessRecords records, FunctionSecrets secrets, Vertx vertx) {
    return new ContainerFunctionInstances(functionName, kind, containers, workingDir, records, secrets, vertx);
  }
}
