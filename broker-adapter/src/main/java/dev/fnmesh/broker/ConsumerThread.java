package dev.fnmesh.broker;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The thread of one Kafka consumer, which is not thread-safe and whose calls block: it opens the consumer,
 * runs its work step after step, opens it again after a failure the work restarts from, and releases it
 * when asked to stop. Other threads only wake it and stop it.
 *
 * <p>The {@link Work}'s methods run on this thread only, one at a time, in this order: {@code open}, then
 * {@code step} until a stop is asked; after a failure in either, {@code failed}, then, if it returned true
 * and no stop was asked during the restart delay, {@code open} again; at the end {@code close}, once,
 * also when {@code open} never ran or failed.
 *
 * <p>{@link #start}, {@link #wakeUp}, {@link #stop} and {@link #close} may be called from any thread,
 * the consumer thread included (a rebalance callback may wake its own poll).
 */
public final class ConsumerThread implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerThread.class);

  /** What one consumer's thread does; every method is called on that thread only. */
  public interface Work {

    /**
     * Makes the consumer ready (creates it, subscribes or assigns and seeks) at the start and after a
     * restart; it may return the consumer it opened before, kept over a failure.
     *
     * @return the consumer {@link #wakeUp} interrupts until the next failure or the end
     */
    Consumer<?, ?> open();

    /**
     * One turn of the loop, usually one poll and what follows from its records. A {@link WakeupException}
     * out of it is a wake-up, not a failure: the next step runs unless a stop was asked. (Out of
     * {@code open} it is a failure like any other.)
     */
    void step();

    /**
     * {@code open} or a step threw: log it with the work's context and release what the failure left
     * unusable.
     *
     * @return true to open again after the restart delay, false to end the thread with this failure
     */
    boolean failed(RuntimeException failure);

    /**
     * The thread ends: finish what must be finished (a commit) and close the consumer, within a bound. A
     * wake-up asked while no blocking call ran may still be pending: the first blocking call here may
     * throw {@link WakeupException} once.
     */
    void close();
  }

  private final String name;
  private final Duration restartDelay;
  private final Duration closeWait;
  private final Thread thread;
  // Counted down by stop(); the restart delay waits on it, so a stop ends the delay at once.
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Promise<Void> ended = Promise.promise();
  private volatile Consumer<?, ?> current;
  private boolean started;

  /**
   * @param name the thread's name, also used in logs as {@code thread=}
   * @param restartDelay how long to wait after a failure {@link Work#failed} restarts from
   * @param closeWait how long {@link #close} waits for the thread to end
   */
  public ConsumerThread(String name, Duration restartDelay, Duration closeWait, Work work) {
    this.name = name;
    this.restartDelay = restartDelay;
    this.closeWait = closeWait;
    this.thread = new Thread(() -> run(work), name);
    // A forgotten close must not keep the JVM alive.
    this.thread.setDaemon(true);
  }

  /**
   * Starts the thread.
   *
   * @throws IllegalStateException when started or stopped before
   */
  public synchronized void start() {
    if (started || stopping.getCount() == 0) {
      throw new IllegalStateException("consumer thread " + name + " was " + (started ? "started" : "stopped")
          + " already");
    }
    started = true;
    thread.start();
  }

  /**
   * Interrupts the consumer's current or next blocking call with a {@link WakeupException}, which ends
   * the step. Between a failure and the next {@code open} there is no consumer to wake: set the state the
   * step reads first, then wake, so that a step starting after the wake-up still sees it.
   */
  public void wakeUp() {
    Consumer<?, ?> consumer = current;
    if (consumer != null) {
      consumer.wakeup();
    }
  }

  /**
   * Asks the thread to end: the current step is woken, no further step or restart begins, then
   * {@link Work#close} runs on the thread. Does not block.
   *
   * @return a future that completes, on the consumer thread, once {@link Work#close} returned; it fails
   *     with the failure the work did not restart from, or with what {@code close} threw. Stopped before
   *     it started, the thread never runs and the future is already complete.
   */
  public Future<Void> stop() {
    synchronized (this) {
      stopping.countDown();
      if (!started) {
        ended.tryComplete();
      }
    }
    wakeUp();
    return ended.future();
  }

  /**
   * The future {@link #stop} returns, without asking for a stop: it completes when the thread ended,
   * failed when a failure ended it (one the work did not restart from, or an {@link Error}), so an owner
   * can replace a thread that died on its own.
   */
  public Future<Void> ended() {
    return ended.future();
  }

  /**
   * Stops the thread and blocks until it ended, {@link Work#close} included, or until the close wait
   * passed, whichever comes first; called on the consumer thread itself, it returns at once.
   */
  @Override
  public void close() {
    stop();
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(closeWait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("consumer thread still running after close thread={} waitedMs={}", name, closeWait.toMillis());
    }
  }

  private void run(Work work) {
    Throwable failure = null;
    try {
      failure = loop(work);
    } catch (Throwable e) {
      // A bug in the work or an Error: nothing to restart from; the uncaught-exception handler reports it.
      failure = e;
      throw e;
    } finally {
      current = null;
      try {
        work.close();
      } catch (RuntimeException e) {
        LOG.error("consumer thread close failed thread={} cause={}", name, e.toString(), e);
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
      if (failure == null) {
        ended.complete();
      } else {
        ended.fail(failure);
      }
    }
  }

  /** Runs open and the steps until a stop or a failure the work does not restart from, which it returns. */
  private RuntimeException loop(Work work) {
    boolean open = false;
    while (stopping.getCount() > 0) {
      try {
        if (open) {
          step(work);
        } else {
          // Published before the loop condition is read again: a stop either sees this consumer and wakes
          // it, or was asked before that read and ends the loop.
          current = work.open();
          open = true;
        }
      } catch (RuntimeException e) {
        current = null;
        open = false;
        if (!work.failed(e)) {
          return e;
        }
        awaitStop(restartDelay);
      }
    }
    return null;
  }

  private static void step(Work work) {
    try {
      work.step();
    } catch (WakeupException e) {
      // A wake-up ends the step; the loop condition decides what comes next.
    }
  }

  private void awaitStop(Duration timeout) {
    try {
      stopping.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Someone wants this thread gone: end as if stopped, closing the consumer on the way out.
      Thread.currentThread().interrupt();
      stopping.countDown();
    }
  }
}
