package dev.fnmesh.host.impl.http;

import dev.fnmesh.host.FunctionBusy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * At most {@code max} tasks in flight; the others wait in arrival order and start as earlier ones finish,
 * so a busy function slows its callers down instead of refusing them. A caller that can come back later
 * submits {@linkplain #submitUnlessBusy unless busy} and is refused once {@code maxWaiting} tasks wait,
 * so that the line, and the memory it holds, stays bounded whoever calls. A task that waited longer than
 * {@code maxWait} is failed instead of started: whoever submitted it has given up by then. Thread-safe:
 * replicas on several event loops share one limit.
 */
final class HttpConcurrencyLimit {

  private final String functionName;
  private final String owner;
  private final int max;
  private final int maxWaiting;
  private final long maxWaitNanos;
  private final LongSupplier nanoTime;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param functionName the function limited, for {@link FunctionBusy}
   * @param owner who is limited, for messages, e.g. {@code function 'x' at http://host/}
   * @param maxWaiting how many tasks may wait before {@link #submitUnlessBusy} refuses one
   */
  HttpConcurrencyLimit(String functionName, String owner, int max, int maxWaiting, Duration maxWait) {
    this(functionName, owner, max, maxWaiting, maxWait, System::nanoTime);
  }

  HttpConcurrencyLimit(String functionName, String owner, int max, int maxWaiting, Duration maxWait,
      LongSupplier nanoTime) {
    this.functionName = functionName;
    this.owner = owner;
    this.max = max;
    this.maxWaiting = maxWaiting;
    this.maxWaitNanos = maxWait.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Runs the task now or, with every slot taken, once one frees, however many wait already.
   *
   * @return the task's outcome once it ran; fails when the task throws, or with a {@link TimeoutException}
   *     when it waited longer than {@code maxWait} for a free slot
   */
  <T> Future<T> submit(Supplier<Future<T>> task) {
    return submit(task, false);
  }

  /**
   * Runs the task as {@link #submit} does, unless every slot is taken and {@code maxWaiting} tasks wait.
   *
   * @return as {@link #submit}; fails at once with {@link FunctionBusy} when the task would wait beyond
   *     {@code maxWaiting}
   */
  <T> Future<T> submitUnlessBusy(Supplier<Future<T>> task) {
    return submit(task, true);
  }

  private <T> Future<T> submit(Supplier<Future<T>> task, boolean refuseWhenBusy) {
    Promise<T> result = Promise.promise();
    long submitted = nanoTime.getAsLong();
    Runnable run = () -> {
      long waited = nanoTime.getAsLong() - submitted;
      if (waited > maxWaitNanos) {
        release();
        result.fail(new TimeoutException(owner + ": waited " + Duration.ofNanos(waited).toMillis() + " ms for one of "
            + max + " requests in flight to finish; not sent"));
        return;
      }
      Future<T> started;
      try {
        started = task.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(outcome -> {
        release();
        result.handle(outcome);
      });
    };
    boolean now;
    synchronized (this) {
      now = inFlight < max;
      if (now) {
        inFlight++;
      } else if (refuseWhenBusy && waiting.size() >= maxWaiting) {
        return Future.failedFuture(new FunctionBusy(functionName, owner + " is busy: " + max + " calls in flight "
            + "and " + waiting.size() + " waiting, its maxWaiting; try again shortly"));
      } else {
        waiting.add(onCallersContext(run));
      }
    }
    if (now) {
      run.run();
    }
    return result.future();
  }

  /** Tasks waiting for a slot, for tests and diagnostics. */
  synchronized int waiting() {
    return waiting.size();
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
    }
    // The slot passes straight to the next task, so a newcomer cannot overtake the queue.
    if (next != null) {
      next.run();
    }
  }

  // A waiting task runs on the context it was submitted from, never on the thread that freed the slot;
  // this also keeps a chain of tasks that finish at once from recursing.
  private static Runnable onCallersContext(Runnable run) {
    Context context = Vertx.currentContext();
    return context == null ? run : () -> context.runOnContext(v -> run.run());
  }
}
