package dev.fnmesh.function;

import io.vertx.core.Vertx;

import java.util.Map;

/**
 * What the host gives a function for one invocation: the Vert.x instance for timers and clients, the
 * function's name in the mesh and its configuration from the mesh file.
 *
 * @param vertx the Vert.x instance the host runs on; use it for timers, never block its event loops
 * @param functionName the name the function has in the mesh file
 * @param config the function's {@code config:} block from the mesh file, empty when absent
 */
public record FunctionContext(Vertx vertx, String functionName, Map<String, Object> config) {

  public FunctionContext {
    config = Map.copyOf(config);
  }
}
