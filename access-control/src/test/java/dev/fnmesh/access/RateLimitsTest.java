package dev.fnmesh.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RateLimits limits = new RateLimits(now::get);
  private final Caller shop = new Caller("shop", Grants.NONE, Optional.of(RequestRate.parse("10/s")));

  @Test
  void aCallerMaySendItsWholeRateAtOnceThenWaits() {
    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.empty(), limits.take(shop), "request " + i);
    }
    Optional<Duration> wait = limits.take(shop);
    assertTrue(wait.isPresent());
    assertEquals(Duration.ofMillis(100), wait.get());
  }

  @Test
  void theRateRefillsAsTimePasses() {
    for (int i = 0; i < 10; i++) {
      limits.take(shop);
    }
    now.addAndGet(Duration.ofMillis(100).toNanos());
    assertEquals(Optional.empty(), limits.take(shop));
    assertTrue(limits.take(shop).isPresent());
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.empty(), limits.take(shop), "request " + i + " after a pause");
    }
  }

  @Test
  void callersHaveRatesOfTheirOwnAndNoRateIsNoLimit() {
    for (int i = 0; i < 10; i++) {
      limits.take(shop);
    }
    assertEquals(Optional.empty(), limits.take(new Caller("other", Grants.NONE, shop.rate())));
    Caller unlimited = new Caller("ops", Grants.NONE, Optional.empty());
    for (int i = 0; i < 1000; i++) {
      assertEquals(Optional.empty(), limits.take(unlimited));
    }
  }
}
