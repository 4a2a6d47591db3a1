package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A function as the mesh declares it, ready to invoke: non-blocking functions are called on the caller's
 * event loop, blocking ones on a worker thread, and every invocation is cut off at its timeout.
 *
 * <p>A function running outside the JVM ({@link FunctionInstances}) runs one instance per trigger replica:
 * each replica calls {@link #startInstance()} before it consumes and {@link #stopInstance()} after. Invoking
 * the declared function itself, as the synchronous {@code /functions/{name}} endpoint does, starts one
 * shared instance on the first call; {@link #stopInstance()} on the declared function stops that one.
 */
public final class HostedFunction {

  private final Function function;
  private final FunctionContext context;
  private final boolean blocking;
  // Null for a Java function, which all replicas share.
  private final FunctionInstances instances;
  // Non-null for a started instance, which stopInstance stops.
  private final FunctionInstances.Instance instance;
  private final AtomicReference<Future<HostedFunction>> shared = new AtomicReference<>();

  public HostedFunction(Function function, FunctionContext context, boolean blocking) {
    this.function = function;
    this.context = context;
    this.blocking = blocking;
    this.instances = null;
    this.instance = null;
  }

  /** A function running outside the JVM, one instance per replica; its calls never block. */
  public HostedFunction(FunctionInstances instances, FunctionContext context) {
    this.function = (event, ctx) -> sharedInstance().compose(running -> running.applySafely(event));
    this.context = context;
    this.blocking = false;
    this.instances = instances;
    this.instance = null;
  }

  private HostedFunction(FunctionInstances.Instance instance, FunctionContext context) {
    this.function = instance.function();
    this.context = context;
    this.blocking = false;
    this.instances = null;
    this.instance = instance;
  }

  /**
   * Starts what one trigger replica invokes: a Java function is shared and returns itself; a function
   * running outside the JVM starts a new instance, e.g. its own child process.
   *
   * @return the function the replica invokes; fails when its instance could not start
   */
  public Future<HostedFunction> startInstance() {
    return instances == null
        ? Future.succeededFuture(this)
        : instances.start().map(started -> new HostedFunction(started, context));
  }

  /**
   * Stops what {@link #startInstance()} started; on the declared function, stops the instance shared by
   * synchronous calls, if one runs. Does nothing for a Java function.
   *
   * @return a future completed once the instance ended; it never fails
   */
  public Future<Void> stopInstance() {
    if (instance != null) {
      return instance.stop();
    }
    Future<HostedFunction> running = shared.getAndSet(null);
    if (running == null) {
      return Future.succeededFuture();
    }
    return running.transform(started -> started.succeeded()
        ? started.result().stopInstance()
        : Future.succeededFuture());
  }

  /**
   * The class that implements a Java function, or empty for a function that runs outside the JVM: a jar
   * replaced on disk loads as another class, which tells a reload that the function changed.
   */
  public Optional<Class<?>> implementation() {
    return function == null ? Optional.empty() : Optional.of(function.getClass());
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

  // Several event loops may call at once: only the caller that installs the promise starts the instance.
  private Future<HostedFunction> sharedInstance() {
    while (true) {
      Future<HostedFunction> current = shared.get();
      if (current != null) {
        return current;
      }
      Promise<HostedFunction> starting = Promise.promise();
      if (shared.compareAndSet(null, starting.future())) {
        startInstance().onComplete(outcome -> {
          if (outcome.failed()) {
            // A failed start is not remembered: the next call tries again.
            shared.compareAndSet(starting.future(), null);
          }
          starting.handle(outcome);
        });
        return starting.future();
      }
    }
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
