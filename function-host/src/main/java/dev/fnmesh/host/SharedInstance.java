package dev.fnmesh.host;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one instance of a function running outside the JVM that synchronous calls of the declared function
 * share, started by the first call. Several event loops may call at once, so it is held atomically.
 */
public final class SharedInstance {

  private final AtomicReference<Future<StartedInstance>> shared = new AtomicReference<>();

  /**
   * The shared instance, started with {@code start} when none runs; only the caller that installs the
   * promise starts it. A failed start is not remembered: the next call tries again.
   */
  Future<StartedInstance> get(Supplier<Future<StartedInstance>> start) {
    while (true) {
      Future<StartedInstance> current = shared.get();
      if (current != null) {
        return current;
      }
      Promise<StartedInstance> starting = Promise.promise();
      if (shared.compareAndSet(null, starting.future())) {
        start.get().onComplete(outcome -> {
          if (outcome.failed()) {
            shared.compareAndSet(starting.future(), null);
          }
          starting.handle(outcome);
        });
        return starting.future();
      }
    }
  }

  /** Stops the shared instance, if one runs or is starting; the future never fails. */
  Future<Void> stop() {
    Future<StartedInstance> running = shared.getAndSet(null);
    if (running == null) {
      return Future.succeededFuture();
    }
    return running.transform(started -> started.succeeded()
        ? started.result().stopInstance()
        : Future.succeededFuture());
  }
}
