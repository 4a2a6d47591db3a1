package dev.fnmesh.function;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.TreeSet;

/**
 * What the host gives a function for one invocation: the Vert.x instance for timers and clients, the
 * function's name in the mesh, its configuration from the mesh file and, when the mesh traces, the trace
 * context of the invocation.
 *
 * @param vertx the Vert.x instance the host runs on; use it for timers, never block its event loops
 * @param functionName the name the function has in the mesh file
 * @param config the function's {@code config:} block from the mesh file, empty when absent; a value the file
 *     writes as {@code { env: NAME }} or {@code { file: PATH }} is here the secret read on the host, a string
 * @param traceparent the W3C {@code traceparent} of this invocation (a trigger's delivery attempt, a call of
 *     {@code /functions/{name}}), to continue the trace in what the function calls; null when not traced
 * @param tracestate the W3C {@code tracestate} that goes with it; null when there is none
 */
public record FunctionContext(Vertx vertx, String functionName, Map<String, Object> config, String traceparent,
    String tracestate) {

  public FunctionContext {
    config = Map.copyOf(config);
  }

  /** A context of an invocation that is not traced. */
  public FunctionContext(Vertx vertx, String functionName, Map<String, Object> config) {
    this(vertx, functionName, config, null, null);
  }

  /** This context for an invocation traced with the given W3C trace context. */
  public FunctionContext traced(String traceparent, String tracestate) {
    return new FunctionContext(vertx, functionName, config, traceparent, tracestate);
  }

  /** Names the config's keys but none of its values, which may be secrets, so that logging a context is safe. */
  @Override
  public String toString() {
    return "FunctionContext[functionName=" + functionName + ", config keys=" + new TreeSet<>(config.keySet())
        + (traceparent == null ? "" : ", traceparent=" + traceparent) + "]";
  }
}
