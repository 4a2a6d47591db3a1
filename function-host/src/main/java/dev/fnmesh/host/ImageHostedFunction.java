package dev.fnmesh.host;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.ImageKind;

import java.util.Objects;

/**
 * A function whose HTTP server runs in a container, as {@code image:} declares it: each trigger replica starts
 * its own container, or, where the host was told the function already runs, reaches it there.
 *
 * @param kind the function's {@code image:} section
 * @param context its name and configuration
 * @param instances starts the instances the replicas invoke
 * @param shared the instance synchronous calls of the declared function share
 */
public record ImageHostedFunction(ImageKind kind, FunctionContext context, FunctionInstances instances,
    SharedInstance shared) implements InstancedFunction {

  public ImageHostedFunction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(shared, "shared");
  }

  /** The declared function, no shared instance started yet. */
  public ImageHostedFunction(ImageKind kind, FunctionContext context, FunctionInstances instances) {
    this(kind, context, instances, new SharedInstance());
  }
}
