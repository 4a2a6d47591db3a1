package dev.fnmesh.broker.impl;

import org.apache.kafka.common.KafkaFuture;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An admin request about many keys (topics, partitions) asked again, 20 ms after a round ended, for the keys whose
 * answer failed, until every key is answered or no new key was answered for the patience given. A busy broker
 * creating hundreds of partitions serves them one after another: as long as it makes progress, it is waited for.
 * Rounds follow one another, so the answers are only ever touched by one thread at a time.
 */
final class RetriedRequest {

  private static final Executor RETRY = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  /** What a request answered: a value for some keys, the last failure for the others. */
  record Answers<K, V>(Map<K, V> values, Map<K, Throwable> failed) {}

  private RetriedRequest() {}

  /** How long one round may take before the keys it has not answered are asked again. */
  static final int ROUND_MS = 2_000;

  /** Asks for the pending keys, the round to end within the given milliseconds. */
  interface Ask<K, V> {
    Map<K, KafkaFuture<V>> ask(Set<K> pending, int timeoutMs);
  }

  /** @return completes once every key was answered or none was for {@code patience}; never fails */
  static <K, V> CompletableFuture<Answers<K, V>> untilAnswered(Set<K> keys, Ask<K, V> ask, Duration patience) {
    Answers<K, V> answers = new Answers<>(new HashMap<>(), new HashMap<>());
    CompletableFuture<Answers<K, V>> done = new CompletableFuture<>();
    round(new HashSet<>(keys), ask, patience.toNanos(), System.nanoTime() + patience.toNanos(), answers, done);
    return done;
  }

  private static <K, V> void round(Set<K> pending, Ask<K, V> ask, long patience, long deadline,
      Answers<K, V> answers, CompletableFuture<Answers<K, V>> done) {
    Map<K, KafkaFuture<V>> asked;
    try {
      long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      asked = ask.ask(pending, (int) Math.max(1, Math.min(ROUND_MS, remainingMs)));
    } catch (RuntimeException e) {
      pending.forEach(key -> answers.failed().put(key, e));
      done.complete(answers);
      return;
    }
    KafkaFuture.allOf(asked.values().toArray(KafkaFuture[]::new)).whenComplete((ignored, any) -> {
      Set<K> again = new HashSet<>();
      asked.forEach((key, future) -> {
        try {
          answers.values().put(key, future.getNow(null));
          answers.failed().remove(key);
        } catch (ExecutionException e) {
          answers.failed().put(key, e.getCause());
          again.add(key);
        } catch (InterruptedException | RuntimeException e) {
          answers.failed().put(key, e);
          again.add(key);
        }
      });
      long now = System.nanoTime();
      long next = again.size() < asked.size() ? now + patience : deadline;
      if (again.isEmpty() || now - next > 0) {
        done.complete(answers);
      } else {
        CompletableFuture.runAsync(() -> round(again, ask, patience, next, answers, done), RETRY);
      }
    });
  }
}
