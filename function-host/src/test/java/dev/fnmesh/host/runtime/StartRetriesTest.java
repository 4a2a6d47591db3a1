package dev.fnmesh.host.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StartRetriesTest {

  @Test
  void theDelayDoublesWithEveryFailedStartInARowUpToAMinute() {
    Duration first = Duration.ofSeconds(5);

    assertEquals(Duration.ofSeconds(5), StartRetries.delay(first, 1));
    assertEquals(Duration.ofSeconds(10), StartRetries.delay(first, 2));
    assertEquals(Duration.ofSeconds(40), StartRetries.delay(first, 4));
    assertEquals(Duration.ofMinutes(1), StartRetries.delay(first, 5));
    assertEquals(Duration.ofMinutes(1), StartRetries.delay(first, 1000));
  }

  @Test
  void theStateSaysHowManyStartsFailedAndWhenTheNextIs() {
    assertEquals("1 start failed; next in 5 s", StartRetries.describe(1, Duration.ofSeconds(5)));
    assertEquals("3 starts in a row failed; next in 20 s", StartRetries.describe(3, Duration.ofSeconds(20)));
    assertEquals("2 starts in a row failed; next in 200 ms", StartRetries.describe(2, Duration.ofMillis(200)));
  }
}
