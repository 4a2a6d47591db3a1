package dev.fnmesh.function;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A function of the mesh: it receives one CloudEvent and answers, asynchronously, zero or one reply event
 * ({@link #apply}), or zero or more ({@link #applyAll}, which a {@link FanOutFunction} implements); on a
 * trigger that delivers batches, it receives a list of events and answers one {@link ItemResult} each
 * ({@link #applyBatch}).
 *
 * <p>Functions are stateless and must not block the thread that calls them: that thread is a Vert.x event
 * loop unless the function is declared {@code blocking: true} in the mesh, in which case it runs on a
 * worker thread and may block. Implementations are found through {@link java.util.ServiceLoader} under
 * {@link #name()} and by their fully qualified class name.
 */
public interface Function {

  /**
   * Handles one event.
   *
   * @return a future that completes with the reply event, or with {@code null} when there is no reply; it
   *     fails when the invocation failed, which the host treats as a failed attempt of this event
   */
  Future<CloudEvent> apply(CloudEvent event, FunctionContext context);

  /**
   * Handles one event, answering any number of events: what the host calls. Each reply goes to the trigger's
   * {@code reply:}; an empty list is no reply. Unless overridden, the reply of {@link #apply}, if any.
   *
   * @return a future that completes with the replies, never null; it fails as {@link #apply} does
   */
  default Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
    Future<CloudEvent> reply = apply(event, context);
    return reply == null ? null : reply.map(answer -> answer == null ? List.of() : List.of(answer));
  }

  /**
   * Handles a batch of events, when the trigger asks for batches ({@code delivery.batch}). The events of one
   * partition come in offset order, and no two share an {@code id}. By default each event is handed to
   * {@link #applyAll} in turn, the next once the previous answered; override it to handle the batch as a whole
   * (one database write, one request upstream).
   *
   * @return a future that completes with one result per event, matched by event {@code id}: an event without
   *     a result counts as failed; it fails when the batch as a whole failed, which the host answers by
   *     splitting the batch in halves and trying each again, down to single events
   */
  default Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext context) {
    List<ItemResult> results = new ArrayList<>(events.size());
    Future<Void> previous = Future.succeededFuture();
    for (CloudEvent event : events) {
      previous = previous.compose(v -> {
        Future<List<CloudEvent>> replies;
        try {
          replies = applyAll(event, context);
        } catch (RuntimeException e) {
          replies = Future.failedFuture(e);
        }
        if (replies == null) {
          replies = Future.failedFuture(new IllegalStateException("function '" + context.functionName()
              + "' returned no future"));
        }
        return replies.transform(outcome -> {
          results.add(ItemResult.of(event, outcome.result(), outcome.cause()));
          return Future.<Void>succeededFuture();
        });
      });
    }
    return previous.map(v -> results);
  }

  /** The short name the mesh file may use for this function; the simple class name unless overridden. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Adapts a function written against {@link CompletionStage} instead of a Vert.x {@link Future}. */
  static Function fromStage(String name, StageFunction stageFunction) {
    return new Function() {
      @Override
      public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
        try {
          return Future.fromCompletionStage(stageFunction.apply(event, context));
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /** Adapts a function body answering any number of events: see {@link FanOutFunction}. */
  static Function fanOut(String name, FanOutFunction.Body body) {
    return new FanOutFunction() {
      @Override
      public Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
        try {
          return body.apply(event, context);
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /** A function body returning a {@link CompletionStage}; a {@code null} result means no reply. */
  @FunctionalInterface
  interface StageFunction {
    CompletionStage<CloudEvent> apply(CloudEvent event, FunctionContext context);
  }
}
