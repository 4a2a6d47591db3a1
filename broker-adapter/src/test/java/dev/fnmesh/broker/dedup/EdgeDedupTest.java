package dev.fnmesh.broker.dedup;

import dev.fnmesh.mesh.DedupSettings;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the edge remembers: within the window, per scope, bounded, and never a write that failed. */
class EdgeDedupTest {

  private static final DedupSettings TEN_MINUTES = new DedupSettings(Duration.ofMinutes(10));
  private final AtomicLong now = new AtomicLong();
  private final EdgeDedup dedup = new EdgeDedup(3, now::get);

  @Test
  void anEventSeenWithinTheWindowIsADuplicateAndOneAfterItIsNew() {
    written(dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"))));

    assertEquals(1, dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"))).duplicates());
    now.addAndGet(Duration.ofMinutes(10).toNanos());
    assertEquals(List.of(event("a")), dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"))).fresh());
  }

  @Test
  void scopesAreApart() {
    written(dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"))));

    assertEquals(0, dedup.admit("topic/u", TEN_MINUTES, List.of(event("a"))).duplicates());
  }

  @Test
  void aDuplicateIsKnownOnlyOnceTheEventItRepeatsWasWrittenAndFailsWithIt() {
    EdgeDedup.Admission first = dedup.admit("topic/t", TEN_MINUTES, List.of(event("a")));
    EdgeDedup.Admission second = dedup.admit("topic/t", TEN_MINUTES, List.of(event("a")));

    assertTrue(!second.duplicatesKnown().isComplete());
    first.written(Future.failedFuture("broker away"));
    assertTrue(second.duplicatesKnown().failed());
    // Forgotten with its failed write: the sender's retry is written.
    assertEquals(1, dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"))).fresh().size());
  }

  @Test
  void pastItsCapacityAScopeForgetsItsOldestEventsEarly() {
    for (String id : List.of("a", "b", "c", "d")) {
      written(dedup.admit("topic/t", TEN_MINUTES, List.of(event(id))));
    }

    assertEquals(0, dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"))).duplicates());
    assertEquals(1, dedup.admit("topic/t", TEN_MINUTES, List.of(event("d"))).duplicates());
  }

  @Test
  void aRepeatWithinOneRequestIsADuplicateOfItsFirst() {
    EdgeDedup.Admission batch = dedup.admit("topic/t", TEN_MINUTES, List.of(event("a"), event("b"), event("a")));

    assertEquals(List.of(event("a"), event("b")), batch.fresh());
    assertEquals(1, batch.duplicates());
    written(batch);
    assertTrue(batch.duplicatesKnown().succeeded());
  }

  private static void written(EdgeDedup.Admission admission) {
    admission.written(Future.succeededFuture());
  }

  private static CloudEvent event(String id) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop")).withType("t").build();
  }
}
