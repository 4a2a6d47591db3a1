package dev.fnmesh.function;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A function that does not handle batches itself: each event goes to apply in turn, each outcome is its result. */
class FunctionBatchTest {

  private static CloudEvent event(String id) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests")).withType("t").build();
  }

  @Test
  void handsEachEventToApplyOnlyOnceTheOneBeforeItAnswered() {
    List<String> started = new ArrayList<>();
    Map<String, Promise<CloudEvent>> open = new HashMap<>();
    Function function = (event, context) -> {
      started.add(event.getId());
      Promise<CloudEvent> answer = Promise.promise();
      open.put(event.getId(), answer);
      return answer.future();
    };

    Future<List<ItemResult>> results = function.applyBatch(List.of(event("a"), event("b")), null);

    assertEquals(List.of("a"), started);
    open.get("a").complete(null);
    assertEquals(List.of("a", "b"), started);
    assertFalse(results.isComplete());
    open.get("b").complete(null);
    assertEquals(List.of(ItemResult.noReply(event("a")), ItemResult.noReply(event("b"))), results.result());
  }

  @Test
  void turnsEachOutcomeIntoItsResult() {
    CloudEvent answer = event("answer");
    Function function = (event, context) -> switch (event.getId()) {
      case "reply" -> Future.succeededFuture(answer);
      case "none" -> Future.succeededFuture();
      case "failed" -> Future.failedFuture(new IllegalStateException("database away"));
      case "permanent" -> Future.failedFuture(new PermanentFailure("not an order"));
      default -> throw new IllegalArgumentException("thrown for " + event.getId());
    };

    List<ItemResult> results = function.applyBatch(List.of(event("reply"), event("none"), event("failed"),
        event("permanent"), event("thrown")), null).result();

    assertEquals(List.of(
        new ItemResult("reply", ItemResult.Status.REPLY, List.of(answer), null),
        new ItemResult("none", ItemResult.Status.NONE, List.of(), null),
        new ItemResult("failed", ItemResult.Status.FAILED, List.of(), "database away"),
        new ItemResult("permanent", ItemResult.Status.PERMANENT, List.of(), "not an order"),
        new ItemResult("thrown", ItemResult.Status.FAILED, List.of(), "thrown for thrown")), results);
  }

  @Test
  void answersEachEventWithEveryReplyOfAFanOutFunction() {
    CloudEvent first = event("first");
    CloudEvent second = event("second");
    Function function = Function.fanOut("split", (event, context) -> Future.succeededFuture(
        event.getId().equals("order") ? List.of(first, second) : List.of()));

    List<ItemResult> results = function.applyBatch(List.of(event("order"), event("empty")), null).result();

    assertEquals(List.of(new ItemResult("order", ItemResult.Status.REPLY, List.of(first, second), null),
        ItemResult.noReply(event("empty"))), results);
  }

  @Test
  void refusesAResultThatContradictsItsStatus() {
    assertEquals("a reply result of event id=x needs at least one reply event", assertThrows(
        IllegalArgumentException.class, () -> new ItemResult("x", ItemResult.Status.REPLY, List.of(), null))
        .getMessage());
    assertEquals("a failed result of event id=x needs an error", assertThrows(IllegalArgumentException.class,
        () -> new ItemResult("x", ItemResult.Status.FAILED, List.of(), null)).getMessage());
  }
}
