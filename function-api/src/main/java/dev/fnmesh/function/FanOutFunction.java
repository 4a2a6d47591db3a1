package dev.fnmesh.function;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.util.List;

/**
 * A function that answers an event with any number of events, each a reply of its own: a split of an order
 * into its lines, an event routed on to several consumers. Implement {@link #applyAll}; {@link #apply}
 * answers its single reply for callers that take one.
 */
public interface FanOutFunction extends Function {

  /**
   * Handles one event.
   *
   * @return a future that completes with the replies, in the order they are to be written, or with an empty
   *     list for none; it fails when the invocation failed, which the host treats as a failed attempt
   */
  @Override
  Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context);

  /**
   * The reply of {@link #applyAll} when it answers at most one event.
   *
   * @return the reply or {@code null}; fails when {@link #applyAll} answered several events, which one reply
   *     cannot hold
   */
  @Override
  default Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    Future<List<CloudEvent>> replies = applyAll(event, context);
    return replies == null ? null : replies.compose(all -> switch (all.size()) {
      case 0 -> Future.succeededFuture();
      case 1 -> Future.succeededFuture(all.get(0));
      default -> Future.failedFuture(new IllegalStateException("function '" + name() + "' answered "
          + all.size() + " events where one reply was expected"));
    });
  }

  /** A function body answering any number of events. */
  @FunctionalInterface
  interface Body {
    Future<List<CloudEvent>> apply(CloudEvent event, FunctionContext context);
  }
}
