package dev.fnmesh.host;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.CommandKind;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A function the host runs as a child process, as {@code command:} declares it; each trigger replica starts
 * its own process.
 *
 * @param kind the function's {@code command:} section
 * @param workingDir the directory the processes start in: the command's own, resolved against the mesh's
 * @param context its name and configuration
 * @param instances starts the instances the replicas invoke
 * @param shared the instance synchronous calls of the declared function share
 */
public record ProcessHostedFunction(CommandKind kind, Path workingDir, FunctionContext context,
    FunctionInstances instances, SharedInstance shared) implements InstancedFunction {

  public ProcessHostedFunction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(shared, "shared");
  }

  /** The declared function, no shared instance started yet. */
  public ProcessHostedFunction(CommandKind kind, Path workingDir, FunctionContext context,
      FunctionInstances instances) {
    this(kind, workingDir, context, instances, new SharedInstance());
  }
}
