package dev.fnmesh.host.impl.process;

import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.host.FunctionSecrets;
import dev.fnmesh.host.ProcessRecords;
import dev.fnmesh.mesh.CommandKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process function's replicas: each instance is its own child process ({@link ProcessFunction}) under
 * the lowest free replica number, on a free port or, with a fixed port {@code p}, on {@code p + replica}.
 * The secrets of its {@code env:} are read as each replica starts, so a restarted replica reads them anew.
 * Safe to call from several event loops.
 */
public final class ProcessFunctionInstances implements FunctionInstances {

  private final String functionName;
  private final CommandKind command;
  private final Path workingDir;
  private final ProcessRecords records;
  private final FunctionSecrets secrets;
  private final Vertx vertx;
  private final BitSet replicas = new BitSet();

  /** @param workingDir the directory the processes start in, the command's own resolved by the planner */
  public ProcessFunctionInstances(String functionName, CommandKind command, Path workingDir, ProcessRecords records,
      FunctionSecrets secrets, Vertx vertx) {
    this.functionName = functionName;
    this.command = command;
    this.workingDir = workingDir;
    this.records = records;
    this.secrets = secrets;
    this.vertx = vertx;
  }

  /**
   * @return the started replica; fails with a {@link dev.fnmesh.mesh.MeshException} when a secret of its env
   *     cannot be read, or when its port is out of range or taken, or its process did not start
   */
  @Override
  public Future<Instance> start() {
    int replica = claim();
    // Reading secret files and choosing a free port (which binds a socket) block, so they happen on a worker
    // like the process start itself.
    return vertx.executeBlocking(() -> new Launch(secrets.env(functionName, command.env()), port(replica)), false)
        .compose(launch -> {
          ProcessFunction function = new ProcessFunction(functionName, replica, launch.port(), command, launch.env(),
              workingDir, records, vertx);
          return function.start().map(v -> instance(replica, function));
        })
        .onFailure(e -> release(replica));
  }

  /** What a replica starts with: its env, secrets read, and its port. */
  private record Launch(Map<String, String> env, int port) {

    @Override
    public String toString() {
      return "Launch[port=" + port + "]";
    }
  }

  private int port(int replica) throws IOException {
    if (command.port().isEmpty()) {
      return ProcessRun.freePort();
    }
    int port = command.port().getAsInt() + replica;
    if (port > CommandKind.MAX_PORT) {
      throw new IllegalArgumentException("function '" + functionName + "': port " + command.port().getAsInt()
          + " leaves no port for replica " + replica + " (it would listen on " + port + ", above " + CommandKind.MAX_PORT + "); use"
          + " port: auto");
    }
    return port;
  }

  private Instance instance(int replica, ProcessFunction function) {
    AtomicBoolean released = new AtomicBoolean();
    return new Instance(replica, function, () -> function.stop().onComplete(v -> {
      if (released.compareAndSet(false, true)) {
        release(replica);
      }
    }));
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
