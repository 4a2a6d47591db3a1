package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A Java function run in the host's JVM, shared by every trigger replica: a non-blocking one is called on
 * the caller's event loop, a blocking one on a worker thread.
 *
 * @param function the function's instance
 * @param context its name and configuration
 * @param blocking whether it may block, as {@code blocking:} declares
 */
public record JavaHostedFunction(Function function, FunctionContext context, boolean blocking)
    implements HostedFunction {

  public JavaHostedFunction {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(context, "context");
  }

  @Override
  public Future<HostedFunction> startInstance() {
    return Future.succeededFuture(this);
  }

  @Override
  public Future<Void> stopInstance() {
    return Future.succeededFuture();
  }

  @Override
  public Optional<Class<?>> implementation() {
    return Optional.of(function.getClass());
  }

  @Override
  public Future<CloudEvent> invoke(CloudEvent event, Duration timeout) {
    Future<CloudEvent> result = blocking
        ? context.vertx().executeBlocking(() -> Invocation.apply(function, context, event), false).compose(f -> f)
        : Invocation.apply(function, context, event);
    return Invocation.bounded(context, result, timeout);
  }
}
