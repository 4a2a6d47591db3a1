package dev.fnmesh.access;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Each caller's rate, as a generic cell rate algorithm: one number per caller, the time its next request
 * is due, so a caller may send its whole rate at once and then one request per share of the period.
 * Requests of one caller arrive on every event loop at once, so the number is an atomic, updated by
 * compare-and-set, rather than state owned by one context that each request would have to hop to.
 */
final class RateLimits {

  private final ConcurrentHashMap<String, AtomicLong> dueAt = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;

  RateLimits(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** @return how long the caller must wait before this request would be allowed; empty when it is allowed now */
  Optional<Duration> take(Caller caller) {
    if (caller.rate().isEmpty()) {
      return Optional.empty();
    }
    RequestRate rate = caller.rate().get();
    long interval = rate.period().toNanos() / rate.requests();
    long burst = rate.period().toNanos() - interval;
    AtomicLong due = dueAt.computeIfAbsent(caller.name(), name -> new AtomicLong(Long.MIN_VALUE));
    while (true) {
      long now = nanoTime.getAsLong();
      long current = due.get();
      long start = current == Long.MIN_VALUE || current - now < 0 ? now : current;
      if (start - now > burst) {
        return Optional.of(Duration.ofNanos(start - now - burst));
      }
      if (due.compareAndSet(current, start + interval)) {
        return Optional.empty();
      }
    }
  }
}
