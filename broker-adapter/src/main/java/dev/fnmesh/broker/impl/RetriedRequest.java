package dev.fnmesh.broker.impl;

import org.apache.kafka.common.KafkaFuture;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An admin request about many keys (topics, partitions) asked again, every 20 ms, for the keys whose answer
 * failed, until every key is answered or the deadline passed. Rounds follow one another, so the answers are
 * only ever touched by one thread at a time.
 */
final class RetriedRequest {

  private static final Executor RETRY = CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  /** What a request answered: a value for some keys, the last failure for the others. */
  record Answers<K, V>(Map<K, V> values, Map<K, Throwable> failed) {}

  private RetriedRequest() {}

  /** @return completes once every key was answered or the deadline passed; never fails */
  static <K, V> CompletableFuture<Answers<K, V>> untilAnswered(Set<K> keys, Function<Set<K>, Map<K, KafkaFuture<V>>> ask,
      long deadline) {
    Answers<K, V> answers = new Answers<>(new HashMap<>(), new HashMap<>());
    CompletableFuture<Answers<K, V>> done = new CompletableFuture<>();
    round(new HashSet<>(keys), ask, deadline, answers, done);
    return done;
  }

  private static <K, V> void round(Set<K> pending, Function<Set<K>, Map<K, KafkaFuture<V>>> ask, long deadline,
      Answers<K, V> answers, CompletableFuture<Answers<K, V>> done) {
    Map<K, KafkaFuture<V>> asked;
    try {
      asked = ask.apply(pending);
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
      if (again.isEmpty() || System.nanoTime() - deadline > 0) {
        done.complete(answers);
      } else {
        CompletableFuture.runAsync(() -> round(again, ask, deadline, answers, done), RETRY);
      }
    });
  }
}
