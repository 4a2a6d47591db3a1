package dev.fnmesh.host;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The functions the running mesh declares, by name; replaced as a whole when the mesh changes. */
public final class FunctionCatalog {

  private final AtomicReference<Map<String, HostedFunction>> functions = new AtomicReference<>(Map.of());

  public Optional<HostedFunction> find(String name) {
    return Optional.ofNullable(functions.get().get(name));
  }

  public void replace(Map<String, HostedFunction> newFunctions) {
    functions.set(Map.copyOf(newFunctions));
  }
}
