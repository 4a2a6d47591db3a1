package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

/**
 * A function outside the JVM, sent at most its {@code concurrency} calls at once; later calls wait in line.
 * A trigger's deliveries always wait their turn ({@link #apply}): their consumer's in-flight cap bounds them
 * and pauses fetching. A caller that can come back later, the synchronous endpoint's, is refused instead once
 * {@code maxWaiting} calls wait ({@link #applyUnlessBusy}).
 */
public interface QueuedFunction extends Function {

  /**
   * Handles one event as {@link #apply} does, unless too many calls wait already.
   *
   * @return as {@link #apply}; fails at once with {@link FunctionBusy} when no slot is free and
   *     {@code maxWaiting} calls wait already
   */
  Future<CloudEvent> applyUnlessBusy(CloudEvent event, FunctionContext context);
}
