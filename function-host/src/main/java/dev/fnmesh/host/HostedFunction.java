package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A function as the mesh declares it, ready to invoke: non-blocking functions are called on the caller's
 * event loop, blocking ones on a worker thread, and every invocation is cut off at its timeout.
 */
public final class HostedFunction {

  private final Function function;
  private final FunctionContext context;
  private final boolean blocking;

  public HostedFunction(Function function, FunctionContext context, boolean blocking) {
    this.function = function;
    this.context = context;
    this.blocking = blocking;
  }

  public String name() {
    return context.functionName();
  }

  /**
   * Invokes the function once. Call it on a Vert.x context; the returned future completes on that context.
   *
   * @return the reply event or {@code null}; fails with the function's failure, or with a
   *     {@link TimeoutException} when the function did not answer within {@code timeout}
   */
  public Future<CloudEvent> invoke(CloudEvent event, Duration timeout) {
    Future<CloudEvent> result = blocking
        ? context.vertx().executeBlocking(() -> applySafely(event), false).compose(f -> f)
        : applySafely(event);
    if (result.isComplete()) {
      return result;
    }
    Vertx vertx = context.vertx();
    Context caller = vertx.getOrCreateContext();
    Promise<CloudEvent> bounded = Promise.promise();
    long timer = vertx.setTimer(timeout.toMillis(), id -> bounded.tryFail(new TimeoutException(
        "function '" + name() + "' did not answer within " + timeout.toMillis() + " ms")));
    result.onComplete(outcome -> caller.runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (outcome.succeeded()) {
        bounded.tryComplete(outcome.result());
      } else {
        bounded.tryFail(outcome.cause());
      }
    }));
    return bounded.future();
  }

  private Future<CloudEvent> applySafely(CloudEvent event) {
    try {
      Future<CloudEvent> result = function.apply(event, context);
      return result == null
          ? Future.failedFuture(new IllegalStateException("function '" + name() + "' returned no future"))
          : result;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
