package dev.fnmesh.host;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The functions the running mesh declares, by name, for synchronous calls; replaced as a whole when the mesh
 * changes. A replaced function's shared instance (a process started by a call) is stopped.
 */
public final class FunctionCatalog {

  private final AtomicReference<Map<String, HostedFunction>> functions = new AtomicReference<>(Map.of());

  public Optional<HostedFunction> find(String name) {
    return Optional.ofNullable(functions.get().get(name));
  }

  /** @return a future completed once the shared instances of the replaced functions stopped */
  public Future<Void> replace(Map<String, HostedFunction> newFunctions) {
    Map<String, HostedFunction> previous = functions.getAndSet(Map.copyOf(newFunctions));
    List<Future<Void>> stops = new ArrayList<>();
    previous.values().forEach(old -> stops.add(old.stopInstance()));
    return Future.join(stops).mapEmpty();
  }
}
