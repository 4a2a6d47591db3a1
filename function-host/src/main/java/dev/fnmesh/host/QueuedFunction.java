package dev.fnmesh.host;

import dev.fnmesh.function.FanOutFunction;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.util.List;

/**
 * A function outside the JVM, sent at most its {@code concurrency} calls at once; later calls wait in line.
 * A trigger's deliveries always wait their turn ({@link #apply}): their consumer's in-flight cap bounds them
 * and pauses fetching. A caller that can come back later, the synchronous endpoint's, is refused instead once
 * {@code maxWaiting} calls wait ({@link #applyAllUnlessBusy}). It may answer several events.
 */
public interface QueuedFunction extends FanOutFunction {

  /**
   * Handles one event as {@link #applyAll} does, unless too many calls wait already.
   *
   * @return as {@link #applyAll}; fails at once with {@link FunctionBusy} when no slot is free and
   *     {@code maxWaiting} calls wait already
   */
  Future<List<CloudEvent>> applyAllUnlessBusy(CloudEvent event, FunctionContext context);
}
