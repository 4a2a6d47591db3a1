package dev.fnmesh.host.impl.http;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.function.ItemResult.Status;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.HttpKind;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * An HTTP function sent a batch, against a stub server playing the function: the JSON batch it gets, and what
 * each form of answer means for each event.
 */
class HttpFunctionBatchTest {

  private final Vertx vertx = Vertx.vertx();
  private HttpFunction function;

  @AfterEach
  void close() throws Exception {
    if (function != null) {
      function.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static CloudEvent event(String id) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop/orders")).withType("com.example.order")
        .withData("application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
  }

  private static final List<CloudEvent> BATCH = List.of(event("a"), event("b"), event("c"));

  @Test
  void postsTheBatchInTheJsonBatchFormatWhateverModeSingleEventsUse() throws Exception {
    Map<String, String> received = new ConcurrentHashMap<>();
    serve(200, "application/json", "", received);

    List<ItemResult> results = await(call(BATCH));

    assertEquals("application/cloudevents-batch+json", received.get("content-type"));
    JsonArray sent = new JsonArray(received.get("body"));
    assertEquals(3, sent.size());
    assertEquals("a", sent.getJsonObject(0).getString("id"));
    assertEquals("1.0", sent.getJsonObject(0).getString("specversion"));
    assertEquals(new JsonObject().put("n", 1), sent.getJsonObject(2).getJsonObject("data"));
    assertEquals(List.of(Status.NONE, Status.NONE, Status.NONE), results.stream().map(ItemResult::status).toList());
  }

  @Test
  void batchItemFailuresFailTheListedEventsAndTheOthersSucceedWithoutAReply() throws Exception {
    serve(200, "application/json", new JsonObject().put("batchItemFailures", new JsonArray()
        .add(new JsonObject().put("itemIdentifier", "b"))).encode(), null);

    List<ItemResult> results = await(call(BATCH));

    assertEquals(List.of(Status.NONE, Status.FAILED, Status.NONE), results.stream().map(ItemResult::status).toList());
    assertEquals("b", results.get(1).id());
  }

  @Test
  void batchItemFailuresNamingAnEventNotInTheBatchFailTheBatchAsAWhole() throws Exception {
    serve(200, "application/json", "{\"batchItemFailures\": [{\"itemIdentifier\": \"z\"}]}", null);

    Throwable failure = awaitFailure(call(BATCH));

    assertEquals("function 'stub' at " + url() + " answered a batch of 3 events (ids a to c) with an invalid batch"
        + " answer: batchItemFailures names \"z\", not the id of an event of the batch", failure.getMessage());
  }

  @Test
  void anArrayOfResultsGivesEachEventItsOwnAndAnEventLeftOutFails() throws Exception {
    JsonObject reply = new JsonObject().put("specversion", "1.0").put("id", "r-a").put("source", "/fn")
        .put("type", "done").put("data", new JsonObject().put("ok", true));
    serve(200, "application/json", new JsonArray()
        .add(new JsonObject().put("id", "a").put("status", "reply").put("replies", new JsonArray().add(reply)))
        .add(new JsonObject().put("id", "c").put("status", "permanent").put("error", "c is not an order"))
        .encode(), null);

    List<ItemResult> results = await(call(BATCH));

    assertEquals(Status.REPLY, results.get(0).status());
    assertEquals("r-a", results.get(0).replies().get(0).getId());
    assertEquals(Status.FAILED, results.get(1).status());
    assertEquals("function 'stub' at " + url() + " answered no result for event id=b", results.get(1).error());
    assertEquals(new ItemResult("c", Status.PERMANENT, List.of(), "c is not an order"), results.get(2));
  }

  @Test
  void aResultWithAnUnknownStatusFailsTheBatchNamingIt() throws Exception {
    serve(200, "application/json", "[{\"id\": \"a\", \"status\": \"ok\"}]", null);

    Throwable failure = awaitFailure(call(BATCH));

    assertEquals("function 'stub' at " + url() + " answered a batch of 3 events (ids a to c) with an invalid batch"
        + " answer: result [0] has status \"ok\"; expected reply, none, failed or permanent", failure.getMessage());
  }

  @Test
  void aServerErrorFailsTheBatchForARetry() throws Exception {
    serve(503, "text/plain", "busy", null);
    Throwable retried = awaitFailure(call(BATCH));
    assertFalse(retried instanceof PermanentFailure, retried.toString());
    assertEquals("function 'stub' at " + url() + " answered 503 Service Unavailable to a batch of 3 events (ids a to c)"
        + ": busy", retried.getMessage());
  }

  @Test
  void aClientErrorFailsTheBatchForGood() throws Exception {
    serve(400, "text/plain", "no", null);

    assertInstanceOf(PermanentFailure.class, awaitFailure(call(List.of(event("a")))));
  }

  private int port;

  private void serve(int status, String contentType, String answer, Map<String, String> received) throws Exception {
    port = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (received != null) {
        received.put("content-type", request.getHeader("content-type"));
        received.put("body", body.toString());
      }
      request.response().setStatusCode(status).putHeader("content-type", contentType).end(answer);
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    function = new HttpFunction("stub", new HttpKind(URI.create(url()), 4, FunctionKind.DEFAULT_MAX_WAITING, false),
        FunctionInstances.REQUEST_TIMEOUT, vertx);
  }

  private String url() {
    return "http://127.0.0.1:" + port + "/fn";
  }

  private Future<List<ItemResult>> call(List<CloudEvent> events) {
    Promise<List<ItemResult>> outcome = Promise.promise();
    vertx.runOnContext(v -> function.applyBatch(events, new FunctionContext(vertx, "stub", Map.of()))
        .onComplete(outcome));
    return outcome.future();
  }

  private static List<ItemResult> await(Future<List<ItemResult>> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<List<ItemResult>> future) throws Exception {
    return future.transform(outcome -> Future.succeededFuture(outcome.failed() ? outcome.cause() : null))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
