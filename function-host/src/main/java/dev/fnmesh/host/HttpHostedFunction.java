package dev.fnmesh.host;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.HttpKind;

import java.util.Objects;

/**
 * A function reached at a URL, as {@code http:} declares it; each trigger replica starts an instance, and
 * the instances share one connection pool.
 *
 * @param kind the function's {@code http:} section
 * @param context its name and configuration
 * @param instances starts the instances the replicas invoke
 * @param shared the instance synchronous calls of the declared function share
 */
public record HttpHostedFunction(HttpKind kind, FunctionContext context, FunctionInstances instances,
    SharedInstance shared) implements InstancedFunction {

  public HttpHostedFunction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(shared, "shared");
  }

  /** The declared function, no shared instance started yet. */
  public HttpHostedFunction(HttpKind kind, FunctionContext context, FunctionInstances instances) {
    this(kind, context, instances, new SharedInstance());
  }
}
