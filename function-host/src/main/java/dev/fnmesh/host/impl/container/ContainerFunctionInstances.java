package dev.fnmesh.host.impl.container;

import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.host.impl.process.ProcessFunction;
import dev.fnmesh.host.logs.LogFields;
import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.ImageKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An image function's replicas, a container each: the engine's {@code run} is supervised as a process function
 * ({@link ProcessFunction}: its output is the container's, shown by {@code fnmesh logs}; restarted with backoff
 * when it exits), on a free port of 127.0.0.1 published to the container's port. A replica counts as started
 * once its server answers HTTP, and its container is removed when it stops. Safe to call from several event loops.
 */
public final class ContainerFunctionInstances implements FunctionInstances {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerFunctionInstances.class);

  private final String functionName;
  private final ImageKind kind;
  private final FunctionContainers containers;
  private final Path engine;
  private final Path workingDir;
  private final ProcessRecords records;
  private final FunctionSecrets secrets;
  private final Vertx vertx;
  private final BitSet replicas = new BitSet();

  /**
   * @param containers names the engine (which must be present) and the owner label
   * @param workingDir the directory the engine starts in
   * @param secrets reads the secrets of the image's env as each replica starts
   */
  public ContainerFunctionInstances(String functionName, ImageKind kind, FunctionContainers containers, Path workingDir,
      ProcessRecords records, FunctionSecrets secrets, Vertx vertx) {
    this.functionName = functionName;
    this.kind = kind;
    this.containers = containers;
    this.engine = containers.engine().orElseThrow(() -> new IllegalArgumentException("no container engine"));
    this.workingDir = workingDir;
    this.records = records;
    this.secrets = secrets;
    this.vertx = vertx;
  }

  /**
   * @return the started replica; fails when a secret of its env cannot be read, when the engine could not run
   *     the container (its message quotes the engine's last lines), or when the server did not answer HTTP
   *     within the readiness
   */
  @Override
  public Future<Instance> start() {
    int replica = claim();
    long deadline = System.nanoTime() + kind.readiness().toNanos();
    Context context = vertx.getOrCreateContext();
    // Reading secret files and choosing a free port (which binds a socket) block: on a worker.
    return context.executeBlocking(() -> launch(replica), false)
        .compose(launch -> {
          ProcessFunction function = new ProcessFunction(functionName, replica, launch.port(), launch.command(),
              launch.env(), kind.path(), workingDir, records, vertx);
          String what = "function '" + functionName + "' replica " + replica + " (image " + kind.image() + ")";
          Future<Void> started = function.start()
              .compose(v -> ContainerReadiness.await(context, launch.port(), kind.path(), deadline, what));
          return started.transform(outcome -> outcome.succeeded()
              ? Future.succeededFuture(instance(replica, function, launch.run(), context))
              : stopped(function, launch.run(), context).compose(v -> Future.<Instance>failedFuture(outcome.cause())));
        })
        .onFailure(e -> release(replica));
  }

  /** What a replica starts with: its engine command, the engine's env with the image's secrets read, its port. */
  private record Launch(ContainerRun run, CommandKind command, Map<String, String> env, int port) {

    @Override
    public String toString() {
      return "Launch[container=" + run.name() + ", port=" + port + "]";
    }
  }

  private Launch launch(int replica) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(ContainerEngines.variables(System.getenv()));
    env.putAll(secrets.env(functionName, kind.env()));
    int port = freePort();
    ContainerRun run = new ContainerRun(engine, "fnmesh-" + functionName + "-" + replica + "-" + port,
        containers.owner(), ProcessHandle.current().pid());
    // The readiness of the engine's process is that of its port; the HTTP answer is waited for after it.
    CommandKind command = new CommandKind(run.command(functionName, kind, replica, port), OptionalInt.of(port),
        kind.readiness(), ".", Map.of(), kind.concurrency(), kind.maxWaiting());
    return new Launch(run, command, env, port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Instance instance(int replica, ProcessFunction function, ContainerRun run, Context context) {
    AtomicBoolean released = new AtomicBoolean();
    return new Instance(replica, function, () -> stopped(function, run, context).onComplete(v -> {
      if (released.compareAndSet(false, true)) {
        release(replica);
      }
    }));
  }

  /**
   * Stops the engine's process, then removes the container: an engine that had to be killed leaves it running.
   * Never fails.
   */
  private Future<Void> stopped(ProcessFunction function, ContainerRun run, Context context) {
    return function.stop().compose(v -> context.executeBlocking(() -> {
      try {
        EngineCalls.run(run.remove(), ContainerEngines.variables(System.getenv()));
      } catch (IOException e) {
        // Gone already is the usual case: --rm removed it when the engine's run ended.
        LogFields.function(functionName).on(LOG.atDebug()).log("container not removed name={} cause={}", run.name(),
            e.getMessage());
      }
      return (Void) null;
    }, false)).otherwiseEmpty();
  }

  private synchronized int claim() {
    int replica = replicas.nextClearBit(0);
    replicas.set(replica);
    return replica;
  }

  private synchronized void release(int replica) {
    replicas.clear(replica);
  }
}
