package dev.fnmesh.host;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One started instance of a function that runs outside the JVM, what one trigger replica invokes; its calls
 * never block.
 *
 * @param instance the running instance, e.g. a child process
 * @param context the declared function's name and configuration
 */
public record StartedInstance(FunctionInstances.Instance instance, FunctionContext context)
    implements HostedFunction {

  public StartedInstance {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(context, "context");
  }

  /** Starts one more instance of {@code instances}; fails as {@link FunctionInstances#start()} does. */
  static Future<StartedInstance> start(FunctionInstances instances, FunctionContext context) {
    return instances.start().map(started -> new StartedInstance(started, context));
  }

  /** Returns itself: it is started already. */
  @Override
  public Future<HostedFunction> startInstance() {
    return Future.succeededFuture(this);
  }

  @Override
  public Future<Void> stopInstance() {
    return instance.stop();
  }

  @Override
  public Future<Replies> invoke(CloudEvent event, Duration timeout, String traceparent, String tracestate) {
    return Invocation.bounded(context, call(event, traceparent, tracestate), timeout);
  }

  @Override
  public Future<Replies> invokeUnlessBusy(CloudEvent event, Duration timeout, String traceparent,
      String tracestate) {
    return Invocation.bounded(context, callUnlessBusy(event, traceparent, tracestate), timeout);
  }

  @Override
  public Future<List<ItemResult>> invokeBatch(List<CloudEvent> events, Duration timeout, String traceparent,
      String tracestate) {
    return Invocation.bounded(context, callBatch(events, traceparent, tracestate), timeout);
  }

  /** Calls the instance once with a batch, without a time bound. */
  Future<List<ItemResult>> callBatch(List<CloudEvent> events, String traceparent, String tracestate) {
    return Invocation.applyBatch(instance.function(), Invocation.traced(context, traceparent, tracestate), events);
  }

  /** Calls the instance once, without a time bound; a null {@code traceparent} is an untraced call. */
  Future<Replies> call(CloudEvent event, String traceparent, String tracestate) {
    return Invocation.apply(instance.function(), Invocation.traced(context, traceparent, tracestate), event);
  }

  /** Calls the instance once, without a time bound, unless too many calls wait: see {@link QueuedFunction}. */
  Future<Replies> callUnlessBusy(CloudEvent event, String traceparent, String tracestate) {
    FunctionContext traced = Invocation.traced(context, traceparent, tracestate);
    return Invocation.replies(traced, () -> instance.function().applyAllUnlessBusy(event, traced));
  }
}
