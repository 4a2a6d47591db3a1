package dev.fnmesh.host;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.mesh.HttpKind;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.time.Duration;
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
    SharedInstance shared) implements HostedFunction {

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

  @Override
  public Future<HostedFunction> startInstance() {
    return StartedInstance.start(instances, context).map(started -> started);
  }

  @Override
  public Future<Void> stopInstance() {
    return shared.stop();
  }

  @Override
  public Future<CloudEvent> invoke(CloudEvent event, Duration timeout) {
    Future<CloudEvent> result = shared.get(() -> StartedInstance.start(instances, context))
        .compose(running -> running.call(event));
    return Invocation.bounded(context, result, timeout);
  }
}
