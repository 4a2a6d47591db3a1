package dev.fnmesh.host.runtime;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * The one Vert.x context a long-lived object's state lives on. Whatever changes the state runs through
 * {@link #call} or {@link #run}, so it runs on that context's thread one piece at a time, whichever thread
 * asked: no locks, and a callback of another context's future cannot touch the state by accident.
 */
public final class ContextOwner {

  private final Context context;

  /** Owns the context of the calling thread, or a new event-loop context when it has none. */
  public ContextOwner(Vertx vertx) {
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Runs {@code work} on the owner's context: at once when called there, else as soon as the context is free.
   *
   * @return what {@code work} returns, completed on any thread; failed when {@code work} throws
   */
  public <T> Future<T> call(Supplier<Future<T>> work) {
    if (Vertx.currentContext() == context) {
      return invoke(work);
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> invoke(work).onComplete(promise));
    return promise.future();
  }

  /** Runs {@code work} on the owner's context, at once when called there; for work that answers nothing. */
  public void run(Runnable work) {
    if (Vertx.currentContext() == context) {
      work.run();
    } else {
      context.runOnContext(v -> work.run());
    }
  }

  private static <T> Future<T> invoke(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
