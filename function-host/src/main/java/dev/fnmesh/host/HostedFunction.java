package dev.fnmesh.host;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A function as the mesh declares it, ready to invoke: one record per kind of function, and the instance a
 * trigger replica starts of one that runs outside the JVM. Every invocation is cut off at its timeout.
 *
 * <p>A function running outside the JVM ({@link FunctionInstances}) runs one instance per trigger replica:
 * each replica calls {@link #startInstance()} before it consumes and {@link #stopInstance()} after. Invoking
 * the declared function itself, as the synchronous {@code /functions/{name}} endpoint does, starts one
 * shared instance on the first call; {@link #stopInstance()} on the declared function stops that one.
 */
public sealed interface HostedFunction
    permits JavaHostedFunction, InstancedFunction, StartedInstance {

  /** The function's name and configuration, and the Vert.x it runs on. */
  FunctionContext context();

  default String name() {
    return context().functionName();
  }

  /**
   * Starts what one trigger replica invokes: a Java function is shared and returns itself; a function
   * running outside the JVM starts a new instance, e.g. its own child process.
   *
   * @return the function the replica invokes; fails when its instance could not start
   */
  Future<HostedFunction> startInstance();

  /**
   * Stops what {@link #startInstance()} started; on the declared function, stops the instance shared by
   * synchronous calls, if one runs. Does nothing for a Java function.
   *
   * @return a future completed once the instance ended; it never fails
   */
  Future<Void> stopInstance();

  /**
   * The class that implements a Java function, or empty for a function that runs outside the JVM: a jar
   * replaced on disk loads as another class, which tells a reload that the function changed.
   */
  default Optional<Class<?>> implementation() {
    return Optional.empty();
  }

  /**
   * Invokes the function once. Call it on a Vert.x context; the returned future completes on that context.
   *
   * @return the replies, {@link Replies#NONE} for none; fails with the function's failure, or with a
   *     {@link TimeoutException} when the function did not answer within {@code timeout}
   */
  default Future<Replies> invoke(CloudEvent event, Duration timeout) {
    return invoke(event, timeout, null, null);
  }

  /**
   * Invokes the function once as {@link #invoke(CloudEvent, Duration)}, within a trace: the function gets the
   * W3C trace context in its {@link FunctionContext}, and an HTTP or process function as the {@code traceparent}
   * and {@code tracestate} headers of its request.
   *
   * @param traceparent the context to continue, or null when the invocation is not traced
   * @param tracestate its {@code tracestate}, or null
   */
  Future<Replies> invoke(CloudEvent event, Duration timeout, String traceparent, String tracestate);

  /**
   * Invokes the function once with a batch of events (a trigger's {@code delivery.batch}), within a trace as
   * {@link #invoke(CloudEvent, Duration, String, String)}: a Java function's {@code applyBatch}, one POST of
   * {@code application/cloudevents-batch+json} to an HTTP, process or image function.
   *
   * @param events no two with the same {@code id}
   * @return one result per event the function answered, matched by {@code id}; fails when the batch as a whole
   *     failed, with a {@link TimeoutException} when the function did not answer within {@code timeout}
   */
  Future<List<ItemResult>> invokeBatch(List<CloudEvent> events, Duration timeout, String traceparent,
      String tracestate);

  /**
   * Invokes the function once for a caller that can come back later, as the synchronous endpoint's callers
   * can: as {@link #invoke}, but a function whose calls wait in line beyond its concurrency (http and command,
   * see {@link QueuedFunction}) refuses the call once {@code maxWaiting} calls wait. A Java function has no
   * line: it is invoked at once.
   *
   * @return as {@link #invoke}; fails at once with {@link FunctionBusy} when the function is that busy
   */
  default Future<Replies> invokeUnlessBusy(CloudEvent event, Duration timeout) {
    return invokeUnlessBusy(event, timeout, null, null);
  }

  /** As {@link #invokeUnlessBusy(CloudEvent, Duration)}, within a trace as {@link #invoke(CloudEvent, Duration, String, String)}. */
  default Future<Replies> invokeUnlessBusy(CloudEvent event, Duration timeout, String traceparent,
      String tracestate) {
    return invoke(event, timeout, traceparent, tracestate);
  }
}
