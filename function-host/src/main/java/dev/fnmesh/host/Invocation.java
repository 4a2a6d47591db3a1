package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** What every kind of hosted function does with one call: guard the function's code and bound its time. */
final class Invocation {

  private Invocation() {}

  /** The context of one call: {@code context} itself when the call is not traced, so that it costs nothing. */
  static FunctionContext traced(FunctionContext context, String traceparent, String tracestate) {
    return traceparent == null ? context : context.traced(traceparent, tracestate);
  }

  /**
   * Calls the function for all its replies ({@link Function#applyAll}); a thrown exception or a missing future
   * becomes a failed future.
   */
  static Future<Replies> apply(Function function, FunctionContext context, CloudEvent event) {
    return replies(context, () -> function.applyAll(event, context));
  }

  /** The replies of a call made by {@code call}; a thrown exception or a missing future becomes a failed future. */
  static Future<Replies> replies(FunctionContext context, Supplier<Future<List<CloudEvent>>> call) {
    try {
      Future<List<CloudEvent>> result = call.get();
      return result == null
          ? Future.failedFuture(new IllegalStateException("function '" + context.functionName()
              + "' returned no future"))
          : result.map(Replies::of);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Calls the function with a batch; a thrown exception or a missing future becomes a failed future. */
  static Future<List<ItemResult>> applyBatch(Function function, FunctionContext context, List<CloudEvent> events) {
    try {
      Future<List<ItemResult>> result = function.applyBatch(events, context);
      return result == null
          ? Future.failedFuture(new IllegalStateException("function '" + context.functionName()
              + "' returned no future for a batch"))
          : result;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * The outcome of a call, completed on the caller's context, failed with a {@link TimeoutException} when
   * the call did not complete within {@code timeout}.
   */
  static <T> Future<T> bounded(FunctionContext context, Future<T> result, Duration timeout) {
    if (result.isComplete()) {
      return result;
    }
    Vertx vertx = context.vertx();
    Context caller = vertx.getOrCreateContext();
    Promise<T> bounded = Promise.promise();
    long timer = vertx.setTimer(timeout.toMillis(), id -> bounded.tryFail(new TimeoutException(
        "function '" + context.functionName() + "' did not answer within " + timeout.toMillis() + " ms")));
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
}
