package dev.fnmesh.host;

import dev.fnmesh.function.ItemResult;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;

/**
 * A declared function that runs outside the JVM, whatever declares how: a replica starts its own instance,
 * and synchronous calls of the declared function share one instance started by the first call.
 */
sealed interface InstancedFunction extends HostedFunction permits HttpHostedFunction, ProcessHostedFunction, ImageHostedFunction {

  /** Starts the instances the replicas invoke. */
  FunctionInstances instances();

  /** The instance synchronous calls of the declared function share. */
  SharedInstance shared();

  @Override
  default Future<HostedFunction> startInstance() {
    return StartedInstance.start(instances(), context()).map(started -> started);
  }

  @Override
  default Future<Void> stopInstance() {
    return shared().stop();
  }

  @Override
  default Future<Replies> invoke(CloudEvent event, Duration timeout, String traceparent, String tracestate) {
    Future<Replies> result = shared().get(() -> StartedInstance.start(instances(), context()))
        .compose(running -> running.call(event, traceparent, tracestate));
    return Invocation.bounded(context(), result, timeout);
  }

  @Override
  default Future<List<ItemResult>> invokeBatch(List<CloudEvent> events, Duration timeout, String traceparent,
      String tracestate) {
    Future<List<ItemResult>> result = shared().get(() -> StartedInstance.start(instances(), context()))
        .compose(running -> running.callBatch(events, traceparent, tracestate));
    return Invocation.bounded(context(), result, timeout);
  }

  @Override
  default Future<Replies> invokeUnlessBusy(CloudEvent event, Duration timeout, String traceparent,
      String tracestate) {
    Future<Replies> result = shared().get(() -> StartedInstance.start(instances(), context()))
        .compose(running -> running.callUnlessBusy(event, traceparent, tracestate));
    return Invocation.bounded(context(), result, timeout);
  }
}
