package dev.fnmesh.host;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what a trigger did with its events, shared by all its replicas in this process. */
public final class TriggerStats {

  private final LongAdder received = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder filtered = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();

  public void received() {
    received.increment();
  }

  public void succeeded() {
    succeeded.increment();
  }

  public void filtered() {
    filtered.increment();
  }

  public void retried() {
    retried.increment();
  }

  public void deadLettered() {
    deadLettered.increment();
  }

  /** A consistent-enough copy for reporting. */
  public Snapshot snapshot() {
    return new Snapshot(received.sum(), succeeded.sum(), filtered.sum(), retried.sum(), deadLettered.sum());
  }

  /** The counters at one moment. */
  public record Snapshot(long received, long succeeded, long filtered, long retried, long deadLettered) {}
}
