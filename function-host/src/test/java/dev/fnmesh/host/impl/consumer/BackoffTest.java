package dev.fnmesh.host.impl.consumer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  @Test
  void doublesFromTheFirstDelayAfterEachFailureUpToTheCap() {
    assertEquals(java.util.List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L),
        IntStream.rangeClosed(1, 7).mapToObj(failures -> backoff.delay(failures).toSeconds()).toList());
  }

  @Test
  void staysAtTheCapHoweverManyFailuresCame() {
    assertEquals(Duration.ofSeconds(30), backoff.delay(Integer.MAX_VALUE));
  }
}
