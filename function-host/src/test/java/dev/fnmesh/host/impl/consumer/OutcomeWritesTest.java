package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.PublishException;
import dev.fnmesh.host.TriggerHealth;
import dev.fnmesh.host.TriggerStats;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed write is retried until Kafka takes it, and its partition shows stalled while it cannot: at once
 * for a refusal, after a quiet retry for a failure that may pass.
 */
class OutcomeWritesTest {

  private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final TriggerHealth health = new TriggerHealth();
  private final OffsetTracker tracker = new OffsetTracker();
  private final PartitionStalls stalls = new PartitionStalls(health, "r1");
  private final OutcomeWrites writes = new OutcomeWrites("orders", tracker, stalls, new TriggerStats(), context);
  // The trigger's health as each try found it, the first try included.
  private final List<Optional<TriggerHealth.Problem>> seenByTries = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFailureThatMayPassIsRetriedQuietlyOnceAndStallsThePartitionOnlyWhenItFailsAgain() {
    write(new NotEnoughReplicasException("1 of 2 in sync"), new NotEnoughReplicasException("1 of 2 in sync"));

    await().atMost(WAIT).until(() -> seenByTries.size() == 3 && tracker.inFlight() == 0);
    assertEquals(Optional.empty(), seenByTries.get(1), "the first retry is quiet");
    TriggerHealth.Problem stalled = seenByTries.get(2).orElseThrow();
    assertEquals("stalled", stalled.state());
    assertTrue(stalled.reason().contains("reply to topic 'orders.replies' failed 2 times: NotEnoughReplicasException"),
        stalled.reason());
    await().atMost(WAIT).until(() -> health.problem().isEmpty() && stalls.current().isEmpty());
  }

  @Test
  void aRefusalStallsThePartitionAtOnceAndItResumesOnceTheWriteWentThrough() {
    write(new TopicAuthorizationException(Set.of("orders.replies")));

    await().atMost(WAIT).until(() -> seenByTries.size() == 2 && tracker.inFlight() == 0);
    TriggerHealth.Problem stalled = seenByTries.get(1).orElseThrow();
    assertTrue(stalled.reason().startsWith("partition orders-0 stalled at offset 7: reply to topic 'orders.replies'"
        + " refused: TopicAuthorizationException"), stalled.reason());
    await().atMost(WAIT).until(() -> health.problem().isEmpty() && !stalls.stalled(PARTITION));
  }

  @Test
  void theRepliesOfOneEventFinishItOnlyOnceEachWentThroughAndARetryWritesOnlyTheOneThatFailed() {
    tracker.track(PARTITION, 7);
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 7, null, null);
    List<String> sent = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> third = new CompletableFuture<>();
    OutcomeWrites.Write first = OutcomeWrites.Write.of("reply", "lines", () -> {
      sent.add("first");
      return CompletableFuture.completedFuture(null);
    });
    OutcomeWrites.Write second = OutcomeWrites.Write.of("reply", "lines", () -> {
      sent.add("second");
      return sent.indexOf("second") == sent.size() - 1 && sent.size() == 2
          ? CompletableFuture.failedFuture(new PublishException("lines", new NotEnoughReplicasException("1 of 2")))
          : CompletableFuture.completedFuture(null);
    });
    OutcomeWrites.Write last = OutcomeWrites.Write.of("reply", "audit", () -> {
      sent.add("third");
      return third;
    });

    context.runOnContext(v -> writes.reply(PARTITION, record, OutcomeWrites.Write.all("replies", List.of(first, second, last))));

    await().atMost(WAIT).until(() -> sent.size() == 3);
    assertEquals(1, tracker.inFlight(), "not finished while a reply is unacknowledged");
    third.complete(null);
    await().atMost(WAIT).until(() -> tracker.inFlight() == 0);
    assertEquals(List.of("first", "second", "third", "second"), sent);
  }

  /** Writes the outcome of offset 7, failing with each failure in turn before it succeeds. */
  private void write(RuntimeException... failures) {
    tracker.track(PARTITION, 7);
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 7, null, null);
    context.runOnContext(v -> writes.reply(PARTITION, record, OutcomeWrites.Write.of("reply", "orders.replies", () -> {
      int tryNumber = seenByTries.size();
      seenByTries.add(health.problem());
      return tryNumber < failures.length
          ? CompletableFuture.<Void>failedFuture(new PublishException("orders.replies", failures[tryNumber]))
          : CompletableFuture.<Void>completedFuture(null);
    })));
  }
}
