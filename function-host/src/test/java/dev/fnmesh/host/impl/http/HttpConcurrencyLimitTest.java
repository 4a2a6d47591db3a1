package dev.fnmesh.host.impl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.host.FunctionBusy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The concurrency limit of an HTTP function: a slot per task in flight, the rest wait their turn, callers that
 * can come back later only up to maxWaiting.
 */
class HttpConcurrencyLimitTest {

  @Test
  void startsTasksBeyondTheLimitOnlyAsEarlierOnesFinishInTheOrderTheyCame() {
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", "fn", 2, 100, Duration.ofMinutes(1));
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
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", "fn", 1, 100, Duration.ofMinutes(1));

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
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", "fn", 1, 100, Duration.ofSeconds(30), now::get);
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

  @Test
  void refusesACallerThatCanComeBackLaterOnceMaxWaitingWaitButNeverATriggersDelivery() {
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("slow", "function 'slow'", 1, 2, Duration.ofMinutes(1));
    Promise<String> first = Promise.promise();
    limit.submit(first::future);
    Future<String> waitingA = limit.submitUnlessBusy(() -> Future.succeededFuture("a"));
    Future<String> waitingB = limit.submitUnlessBusy(() -> Future.succeededFuture("b"));

    Future<String> refused = limit.submitUnlessBusy(() -> Future.succeededFuture("c"));
    Future<String> delivery = limit.submit(() -> Future.succeededFuture("delivery"));

    FunctionBusy busy = assertInstanceOf(FunctionBusy.class, refused.cause());
    assertEquals("slow", busy.functionName());
    assertEquals("function 'slow' is busy: 1 calls in flight and 2 waiting, its maxWaiting; try again shortly",
        busy.getMessage());
    assertEquals(3, limit.waiting(), "the delivery waits beyond maxWaiting");
    first.complete("first");
    assertEquals(List.of("a", "b", "delivery"), List.of(waitingA.result(), waitingB.result(), delivery.result()));
  }

  @Test
  void withNoWaitingAllowedRefusesACallerOnlyWhileEverySlotIsTaken() {
    HttpConcurrencyLimit limit = new HttpConcurrencyLimit("fn", "fn", 1, 0, Duration.ofMinutes(1));
    Promise<String> first = Promise.promise();

    Future<String> taken = limit.submitUnlessBusy(first::future);
    Future<String> refused = limit.submitUnlessBusy(() -> Future.succeededFuture("refused"));
    first.complete("first");
    Future<String> afterwards = limit.submitUnlessBusy(() -> Future.succeededFuture("afterwards"));

    assertEquals("first", taken.result());
    assertInstanceOf(FunctionBusy.class, refused.cause());
    assertEquals("afterwards", afterwards.result());
  }
}
