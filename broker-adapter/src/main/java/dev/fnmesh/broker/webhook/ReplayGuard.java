package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.signature.ReplayKey;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timestamped requests this process accepted whose signed time is still within the tolerance, so that a
 * replay of one is recognised. Bounded: an entry is dropped once its signed time leaves the tolerance (a
 * replay is then refused as stale), and no more than {@code capacity} are held. The ingress's HTTP servers
 * run on every event loop and share it, so it uses lock-free skip lists rather than one owning context: no
 * event loop ever waits on another, and no request pays a hop between contexts.
 */
final class ReplayGuard {

  /** What {@link #admit} decided. */
  enum Admission {
    /** Not seen before: remembered from now on. */
    FIRST,
    /** Seen before, within its tolerance: a replay. */
    REPLAY,
    /** Not seen, but capacity entries within their tolerance are held already: nothing is remembered. */
    FULL
  }

  /** The default capacity: more than 300 timestamped requests a second, held five minutes each. */
  static final int DEFAULT_CAPACITY = 100_000;

  private record Entry(Instant expires, String key) {}

  private final Clock clock;
  private final int capacity;
  private final ConcurrentSkipListMap<String, Instant> seen = new ConcurrentSkipListMap<>();
  // Oldest first, so that eviction stops at the first entry still within its tolerance.
  private final ConcurrentSkipListSet<Entry> byExpiry = new ConcurrentSkipListSet<>(
      Comparator.comparing(Entry::expires).thenComparing(Entry::key));
  private final AtomicInteger size = new AtomicInteger();

  ReplayGuard(Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.clock = clock;
    this.capacity = capacity;
  }

  /**
   * Remembers a genuine request's key unless it was seen before; a replay is told apart only from requests
   * of the same webhook.
   *
   * @param scope the webhook's path
   */
  Admission admit(String scope, ReplayKey key) {
    evictExpired(clock.instant());
    // Under concurrent admissions the cap may be passed by a few entries: a bound, not an exact limit.
    if (size.get() >= capacity) {
      return Admission.FULL;
    }
    String entry = entryKey(scope, key);
    if (seen.putIfAbsent(entry, key.expires()) != null) {
      return Admission.REPLAY;
    }
    size.incrementAndGet();
    byExpiry.add(new Entry(key.expires(), entry));
    return Admission.FIRST;
  }

  /** Forgets an admitted key, for a request that was not written after all, so that its sender may retry it. */
  void forget(String scope, ReplayKey key) {
    String entry = entryKey(scope, key);
    if (seen.remove(entry, key.expires())) {
      size.decrementAndGet();
      byExpiry.remove(new Entry(key.expires(), entry));
    }
  }

  /** How many keys are held now, expired ones not yet evicted included. */
  int size() {
    return size.get();
  }

  private void evictExpired(Instant now) {
    for (Iterator<Entry> oldest = byExpiry.iterator(); oldest.hasNext(); ) {
      Entry entry = oldest.next();
      if (entry.expires().isAfter(now)) {
        return;
      }
      // Whoever removes the entry from the map counts it, whether this eviction or a concurrent forget.
      byExpiry.remove(entry);
      if (seen.remove(entry.key(), entry.expires())) {
        size.decrementAndGet();
      }
    }
  }

  // A path has no line break, so no two scopes share a key.
  private static String entryKey(String scope, ReplayKey key) {
    return scope + '\n' + key.value();
  }
}
