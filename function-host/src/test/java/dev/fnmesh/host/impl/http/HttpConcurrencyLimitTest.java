package dev.fnmesh.host.impl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** The concurrency limit of an HTTP function: a slot per task in flight, the rest wait their turn. */
class HttpConcurrencyLimitTest {

  @Test
  void startsTasksBeyondTheLimitOnlyAsEarlierOnesFinishInTheOrderTheyCame() {
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", 2, Duration.ofMinutes(1));
    List<Promise<String>> started = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(limit.submit(() -> {
        Promise<String> task = Promise.promise();
        started.add(task);
        return task.future();
      }));
    }

    assertEquals(2, started.size());
    assertEquals(2, limit.waiting());
    started.get(1).complete("b");
    assertEquals(3, started.size());
    started.get(0).complete("a");
    started.get(2).complete("c");
    started.get(3).complete("d");

    assertEquals(0, limit.waiting());
    assertEquals(List.of("a", "b", "c", "d"), results.stream().map(Future::result).toList());
  }

  @Test
  void freesTheSlotOfATaskThatThrows() {
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", 1, Duration.ofMinutes(1));

    Future<String> thrown = limit.submit(() -> {
      throw new IllegalStateException("no connection");
    });
    Future<String> next = limit.submit(() -> Future.succeededFuture("next"));

    assertTrue(thrown.failed());
    assertEquals("no connection", thrown.cause().getMessage());
    assertEquals("next", next.result());
  }

  @Test
  void failsATaskThatWaitedLongerThanTheMostItMayWaitAndStartsTheNext() {
    AtomicLong now = new AtomicLong();
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", 1, Duration.ofSeconds(30), now::get);
    Promise<String> first = Promise.promise();
    limit.submit(first::future);
    Future<String> stale = limit.submit(() -> Future.succeededFuture("sent late"));
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    Future<String> fresh = limit.submit(() -> Future.succeededFuture("sent"));

    now.addAndGet(Duration.ofSeconds(25).toNanos());
    first.complete("first");

    assertInstanceOf(TimeoutException.class, stale.cause());
    assertEquals("fn: waited 35000 ms for one of 1 requests in flight to finish; not sent", stale.cause().getMessage());
    assertEquals("sent", fresh.result());
  }
}
