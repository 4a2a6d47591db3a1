package dev.fnmesh.broker.dedup;

import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The events of one topic or webhook accepted within their window, by {@code source} and {@code id}, each with
 * the future of its write. Bounded: an entry leaves when its window ends, and past {@code capacity} entries the
 * oldest leave early. The ingress serves requests on every event loop, so this uses concurrent maps rather than
 * one owning context: no event loop ever waits on another.
 */
final class DedupWindow {

  /** A 128-bit digest of source and id: a key of fixed size, however long the id a sender chose. */
  private record Key(long high, long low) {}

  private record Seen(long expiresNanos, Future<Void> written) {}

  private record Queued(Key key, Seen seen) {}

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  private final int capacity;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<Key, Seen> seen = new ConcurrentHashMap<>();
  // In admission order, which is expiry order while the window stays the same.
  private final Queue<Queued> byAge = new ConcurrentLinkedQueue<>();
  // Entries of byAge, which holds every admitted entry until it leaves: it bounds the map too.
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong forgottenEarly = new AtomicLong();

  DedupWindow(int capacity, LongSupplier nanoTime) {
    this.capacity = capacity;
    this.nanoTime = nanoTime;
  }

  /**
   * Admits the event unless one with its source and id was admitted within the window and not forgotten.
   *
   * @param written the future of this event's write, completed by the caller
   * @return null when admitted (remembered from now on), else the future of the earlier event's write
   */
  Future<Void> admit(String source, String id, long windowNanos, Future<Void> written) {
    long now = nanoTime.getAsLong();
    evict(now);
    Key key = key(source, id);
    Seen fresh = new Seen(now + windowNanos, written);
    Seen[] earlier = new Seen[1];
    seen.compute(key, (k, old) -> {
      if (old != null && old.expiresNanos() - now > 0) {
        earlier[0] = old;
        return old;
      }
      return fresh;
    });
    if (earlier[0] != null) {
      return earlier[0].written();
    }
    size.incrementAndGet();
    byAge.add(new Queued(key, fresh));
    return null;
  }

  /** Forgets an admitted event whose write failed, so that the sender's retry is written. */
  void forget(String source, String id, Future<Void> written) {
    Key key = key(source, id);
    Seen current = seen.get(key);
    if (current != null && current.written() == written) {
      // Its place in byAge stays taken until its window ends: the bound holds for failed writes too.
      seen.remove(key, current);
    }
  }

  int size() {
    return size.get();
  }

  /** Entries dropped before their window ended because {@code capacity} were held. */
  long forgottenEarly() {
    return forgottenEarly.get();
  }

  private void evict(long now) {
    for (Queued oldest = byAge.peek(); oldest != null; oldest = byAge.peek()) {
      boolean expired = oldest.seen().expiresNanos() - now <= 0;
      if (!expired && size.get() < capacity) {
        return;
      }
      // Whoever takes the entry out of byAge removes it from the map too, if it is still the one there.
      if (byAge.remove(oldest)) {
        size.decrementAndGet();
        if (seen.remove(oldest.key(), oldest.seen()) && !expired) {
          forgottenEarly.incrementAndGet();
        }
      }
    }
  }

  private static Key key(String source, String id) {
    MessageDigest digest = SHA256.get();
    digest.update(source.getBytes(StandardCharsets.UTF_8));
    // A byte no UTF-8 text holds, so that no two source and id pairs give the same input.
    digest.update((byte) 0xff);
    ByteBuffer hash = ByteBuffer.wrap(digest.digest(id.getBytes(StandardCharsets.UTF_8)));
    return new Key(hash.getLong(), hash.getLong());
  }
}
