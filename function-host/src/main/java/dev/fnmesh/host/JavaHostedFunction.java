package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.host.logs.LogFields;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Java function run in the host's JVM, shared by every trigger replica: a non-blocking one is called on
 * the caller's event loop, a blocking one on a worker thread. The secrets its config names are read on a
 * worker by its first start or call on this host, and kept; until one read succeeded, every start or call
 * tries again, and fails with the reason.
 */
public final class JavaHostedFunction implements HostedFunction {

  private final Function function;
  private final FunctionContext context;
  private final boolean blocking;
  private final FunctionSecrets secrets;
  // The context the function is called with, its config's secrets read; null until read. Written once a read
  // succeeded, from any thread: two first callers may both read, to the same values.
  private volatile FunctionContext ready;

  /**
   * @param function the function's instance
   * @param context its name and its configuration as declared, secrets as references
   * @param blocking whether it may block, as {@code blocking:} declares
   * @param secrets reads the secrets its config names
   */
  public JavaHostedFunction(Function function, FunctionContext context, boolean blocking, FunctionSecrets secrets) {
    this.function = Objects.requireNonNull(function, "function");
    this.context = Objects.requireNonNull(context, "context");
    this.blocking = blocking;
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.ready = FunctionSecrets.refersToSecrets(context.config()) ? null : context;
  }

  /** A function whose config secrets, if any, are read from this process's environment and files. */
  public JavaHostedFunction(Function function, FunctionContext context, boolean blocking) {
    this(function, context, blocking, FunctionSecrets.system());
  }

  public Function function() {
    return function;
  }

  public boolean blocking() {
    return blocking;
  }

  /** Its name and configuration as declared: a secret of its config is a reference here, read only for calls. */
  @Override
  public FunctionContext context() {
    return context;
  }

  /** @return itself, once the secrets of its config were read; fails when one cannot be */
  @Override
  public Future<HostedFunction> startInstance() {
    return readConfig().map(read -> this);
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
  public Future<Replies> invoke(CloudEvent event, Duration timeout, String traceparent, String tracestate) {
    return called(timeout, traceparent, tracestate, with -> Invocation.apply(function, with, event));
  }

  @Override
  public Future<List<ItemResult>> invokeBatch(List<CloudEvent> events, Duration timeout, String traceparent,
      String tracestate) {
    return called(timeout, traceparent, tracestate, with -> Invocation.applyBatch(function, with, events));
  }

  /** Makes {@code call} with the function's context once its secrets were read, on a worker when it may block. */
  private <T> Future<T> called(Duration timeout, String traceparent, String tracestate,
      java.util.function.Function<FunctionContext, Future<T>> call) {
    FunctionContext known = ready;
    Future<T> result;
    if (known != null) {
      result = call(Invocation.traced(known, traceparent, tracestate), call);
    } else {
      // The read completes on a worker's hand-off: the function is still called on the caller's event loop.
      Context caller = context.vertx().getOrCreateContext();
      LogFields fields = LogFields.current();
      result = readConfig().compose(read -> {
        Promise<T> called = Promise.promise();
        caller.runOnContext(v -> fields.within(() -> call(Invocation.traced(read, traceparent, tracestate), call))
            .onComplete(called));
        return called.future();
      });
    }
    return Invocation.bounded(context, result, timeout);
  }

  private <T> Future<T> call(FunctionContext with, java.util.function.Function<FunctionContext, Future<T>> call) {
    if (!blocking) {
      return call.apply(with);
    }
    // The fields of the delivery that calls (trigger, event id) go along to the worker thread, for the lines
    // the function logs there.
    LogFields fields = LogFields.current();
    return context.vertx().executeBlocking(() -> fields.within(() -> call.apply(with)), false).compose(f -> f);
  }

  /** Fails with a {@link dev.fnmesh.mesh.MeshException} naming the config key whose secret cannot be read. */
  private Future<FunctionContext> readConfig() {
    FunctionContext known = ready;
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return context.vertx().executeBlocking(() -> new FunctionContext(context.vertx(), context.functionName(),
        secrets.config(context.functionName(), context.config())), false).onSuccess(read -> ready = read);
  }
}
