package dev.fnmesh.function;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.TreeSet;

/**
 * What the host gives a function for one invocation: the Vert.x instance for timers and clients, the
 * function's name in the mesh and its configuration from the mesh file.
 *
 * @param vertx the Vert.x instance the host runs on; use it for timers, never block its event loops
 * @param functionName the name the function has in the mesh file
 * @param config the function's {@code config:} block from the mesh file, empty when absent; a value the file
 *     writes as {@code { env: NAME }} or {@code { file: PATH }} is here the secret read on the host, a string
 */
public record FunctionContext(Vertx vertx, String functionName, Map<String, Object> config) {

  public FunctionContext {
    config = Map.copyOf(config);
  }

  /** Names the config's keys but none of its values, which may be secrets, so that logging a context is safe. */
  @Override
  public String toString() {
    return "FunctionContext[functionName=" + functionName + ", config keys=" + new TreeSet<>(config.keySet()) + "]";
  }
}
