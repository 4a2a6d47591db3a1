package dev.fnmesh.host.impl.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.PermanentFailure;
import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.HttpKind;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * An HTTP function against a stub server playing the function: how events are sent, how each kind of
 * answer becomes the outcome, and how many requests are in flight at once.
 */
@ExtendWith(VertxExtension.class)
class HttpFunctionTest {

  private final List<HttpFunction> functions = new ArrayList<>();

  @AfterEach
  void closeFunctions() {
    functions.forEach(HttpFunction::close);
  }

  private static CloudEvent event(String id) {
    return CloudEventBuilder.v1().withId(id).withSource(URI.create("/shop/orders")).withType("com.example.order")
        .withSubject("order 7 ü").withData("application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
  }

  /** Starts the stub function; it sees each request once its body has arrived. */
  private static int serve(Vertx vertx, BiConsumer<HttpServerRequest, Buffer> handler) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> handler
        .accept(request, body)));
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private HttpFunction function(Vertx vertx, int port, boolean structured, int concurrency) {
    URI url = URI.create("http://127.0.0.1:" + port + "/fn");
    HttpFunction function = new HttpFunction("stub", new HttpKind(url, concurrency, FunctionKind.DEFAULT_MAX_WAITING, structured),
        FunctionInstances.REQUEST_TIMEOUT, vertx);
    functions.add(function);
    return function;
  }

  /** A port on 127.0.0.1 that nobody listened on a moment ago. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Calls on an event loop, as a trigger does, and waits for the outcome. */
  private static Future<CloudEvent> call(Vertx vertx, HttpFunction function, CloudEvent event) {
    Promise<CloudEvent> outcome = Promise.promise();
    vertx.runOnContext(v -> function.apply(event, new FunctionContext(vertx, "stub", Map.of())).onComplete(outcome));
    return outcome.future();
  }

  private static CloudEvent await(Future<CloudEvent> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<CloudEvent> future) throws Exception {
    return future.transform(outcome -> Future.succeededFuture(outcome.failed() ? outcome.cause() : null))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void postsTheEventInBinaryModeAndRepliesWithTheBinaryEventItAnswers(Vertx vertx) throws Exception {
    Map<String, String> received = new ConcurrentHashMap<>();
    int port = serve(vertx, (request, body) -> {
      received.put("method", request.method().name());
      received.put("path", request.path());
      received.put("ce-subject", request.getHeader("ce-subject"));
      received.put("content-type", request.getHeader("content-type"));
      request.response().putHeader("ce-specversion", "1.0").putHeader("ce-id", "r-1").putHeader("ce-source", "/fn")
          .putHeader("ce-type", "com.example.done").putHeader("ce-subject", "caf%C3%A9")
          .putHeader("content-type", "text/plain").end("done");
    });

    CloudEvent reply = await(call(vertx, function(vertx, port, false, 10), event("e-1")));

    assertEquals("POST", received.get("method"));
    assertEquals("/fn", received.get("path"));
    assertEquals("order%207%20%C3%BC", received.get("ce-subject"));
    assertEquals("application/json", received.get("content-type"));
    assertEquals("r-1", reply.getId());
    assertEquals("com.example.done", reply.getType());
    assertEquals("café", reply.getSubject());
    assertEquals("done", new String(reply.getData().toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void postsTheEventInStructuredModeAndRepliesWithTheStructuredEventItAnswers(Vertx vertx) throws Exception {
    Map<String, String> received = new ConcurrentHashMap<>();
    int port = serve(vertx, (request, body) -> {
      received.put("content-type", request.getHeader("content-type"));
      received.put("body", body.toString());
      request.response().putHeader("content-type", "application/cloudevents+json").end(new JsonObject()
          .put("specversion", "1.0").put("id", "r-2").put("source", "/fn").put("type", "com.example.done")
          .put("datacontenttype", "application/json").put("data", new JsonObject().put("ok", true)).encode());
    });

    CloudEvent reply = await(call(vertx, function(vertx, port, true, 10), event("e-2")));

    assertEquals("application/cloudevents+json", received.get("content-type"));
    JsonObject sent = new JsonObject(received.get("body"));
    assertEquals("e-2", sent.getString("id"));
    assertEquals("order 7 ü", sent.getString("subject"));
    assertEquals(new JsonObject().put("n", 1), sent.getJsonObject("data"));
    assertEquals("r-2", reply.getId());
    assertEquals(new JsonObject().put("ok", true),
        new JsonObject(new String(reply.getData().toBytes(), StandardCharsets.UTF_8)));
  }

  @Test
  void repliesWithEveryEventOfTheBatchItAnswersInItsOrder(Vertx vertx) throws Exception {
    JsonObject first = new JsonObject().put("specversion", "1.0").put("id", "r-1").put("source", "/fn")
        .put("type", "com.example.line");
    JsonObject second = first.copy().put("id", "r-2").put("datacontenttype", "application/json")
        .put("data", new JsonObject().put("line", 2));
    int port = serve(vertx, (request, body) -> request.response()
        .putHeader("content-type", "application/cloudevents-batch+json").end("[" + first.encode() + ","
            + second.encode() + "]"));
    Promise<List<CloudEvent>> outcome = Promise.promise();
    HttpFunction function = function(vertx, port, false, 10);

    vertx.runOnContext(v -> function.applyAll(event("e-b"), new FunctionContext(vertx, "stub", Map.of()))
        .onComplete(outcome));
    List<CloudEvent> replies = outcome.future().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(List.of("r-1", "r-2"), replies.stream().map(CloudEvent::getId).toList());
    assertEquals(new JsonObject().put("line", 2),
        new JsonObject(new String(replies.get(1).getData().toBytes(), StandardCharsets.UTF_8)));
  }

  @Test
  void hasNoReplyWhenTheFunctionAnswersAnEmptyBatch(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response()
        .putHeader("content-type", "application/cloudevents-batch+json").end("[]"));

    assertNull(await(call(vertx, function(vertx, port, false, 10), event("e-0"))));
  }

  @Test
  void hasNoReplyWhenTheFunctionAnswersAnEmpty204(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response().setStatusCode(204).end());

    assertNull(await(call(vertx, function(vertx, port, false, 10), event("e-3"))));
  }

  @Test
  void wrapsAPlainAnswerIntoAReplyAboutTheEvent(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response().putHeader("content-type", "text/plain; charset=utf-8")
        .end("hello"));

    CloudEvent reply = await(call(vertx, function(vertx, port, false, 10), event("e-4")));

    UUID.fromString(reply.getId());
    assertEquals(URI.create("/functions/stub"), reply.getSource());
    assertEquals("dev.fnmesh.function.reply", reply.getType());
    assertEquals("e-4", reply.getSubject());
    assertEquals("text/plain; charset=utf-8", reply.getDataContentType());
    assertEquals("hello", new String(reply.getData().toBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void failsAnAttemptThatMayBeRetriedWhenTheFunctionAnswers500(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response().setStatusCode(500).end("database\n  unavailable"));

    Throwable failure = awaitFailure(call(vertx, function(vertx, port, false, 10), event("e-5")));

    assertFalse(failure instanceof PermanentFailure, failure.toString());
    assertEquals("function 'stub' at http://127.0.0.1:" + port + "/fn answered 500 Internal Server Error to event"
        + " id=e-5: database unavailable", failure.getMessage());
  }

  @Test
  void failsAnAttemptThatMayBeRetriedWhenTheFunctionAnswers429Or408(Vertx vertx) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    int port = serve(vertx, (request, body) -> request.response()
        .setStatusCode(calls.incrementAndGet() == 1 ? 429 : 408).end());
    HttpFunction function = function(vertx, port, false, 10);

    Throwable tooMany = awaitFailure(call(vertx, function, event("e-6")));
    Throwable timedOut = awaitFailure(call(vertx, function, event("e-7")));

    assertFalse(tooMany instanceof PermanentFailure, tooMany.toString());
    assertTrue(tooMany.getMessage().contains("answered 429"), tooMany.getMessage());
    assertFalse(timedOut instanceof PermanentFailure, timedOut.toString());
    assertTrue(timedOut.getMessage().contains("answered 408"), timedOut.getMessage());
  }

  @Test
  void failsPermanentlyWhenTheFunctionAnswersAClientError(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response().setStatusCode(400)
        .end("{\"error\":\"amount missing\"}"));

    Throwable failure = awaitFailure(call(vertx, function(vertx, port, false, 10), event("e-8")));

    assertInstanceOf(PermanentFailure.class, failure);
    assertEquals("function 'stub' at http://127.0.0.1:" + port + "/fn answered 400 Bad Request to event id=e-8:"
        + " {\"error\":\"amount missing\"}; a client error is not retried, since sending the same event again cannot"
        + " fix it", failure.getMessage());
  }

  @Test
  void failsAnAttemptWhenTheAnswerIsAnInvalidCloudEvent(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response().putHeader("ce-specversion", "1.0")
        .putHeader("ce-source", "/fn").putHeader("ce-type", "t").end());

    Throwable failure = awaitFailure(call(vertx, function(vertx, port, false, 10), event("e-9")));

    assertFalse(failure instanceof PermanentFailure, failure.toString());
    assertTrue(failure.getMessage().startsWith("function 'stub' at http://127.0.0.1:" + port + "/fn answered an invalid"
        + " CloudEvent to event id=e-9: id: "), failure.getMessage());
  }

  @Test
  void failsAnAttemptThatMayBeRetriedWhenNothingListens(Vertx vertx) throws Exception {
    int port = freePort();

    Throwable failure = awaitFailure(call(vertx, function(vertx, port, false, 10), event("e-10")));

    assertFalse(failure instanceof PermanentFailure, failure.toString());
    assertTrue(failure.getMessage().startsWith("function 'stub' at http://127.0.0.1:" + port + "/fn could not be"
        + " called with event id=e-10: "), failure.getMessage());
  }

  @Test
  void namesItsUrlInFailuresWithoutTheUserAndPasswordItHolds(Vertx vertx) throws Exception {
    int port = serve(vertx, (request, body) -> request.response().setStatusCode(500).end());
    HttpFunction function = new HttpFunction("stub", new HttpKind(URI.create("http://fnmesh:pa55word@127.0.0.1:"
        + port + "/fn"), 1, 0, false), FunctionInstances.REQUEST_TIMEOUT, vertx);
    functions.add(function);

    Throwable failure = awaitFailure(call(vertx, function, event("e-11")));

    assertTrue(failure.getMessage().startsWith("function 'stub' at http://<redacted>@127.0.0.1:" + port + "/fn "
        + "answered 500"), failure.getMessage());
    assertFalse(failure.getMessage().contains("pa55word"), failure.getMessage());
  }

  @Test
  void neverHasMoreRequestsInFlightThanItsConcurrency(Vertx vertx) throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    int port = serve(vertx, (request, body) -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      vertx.setTimer(100, id -> {
        inFlight.decrementAndGet();
        request.response().setStatusCode(204).end();
      });
    });
    HttpFunction function = function(vertx, port, false, 2);

    List<Future<CloudEvent>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(call(vertx, function, event("c-" + i)));
    }
    Future.all(calls).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(2, most.get());
  }

  @Test
  void sendsWaitingEventsInTheOrderTheyArrived(Vertx vertx) throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    int port = serve(vertx, (request, body) -> {
      order.add(request.getHeader("ce-id"));
      vertx.setTimer(20, id -> request.response().setStatusCode(204).end());
    });
    HttpFunction function = function(vertx, port, false, 1);
    List<Future<CloudEvent>> calls = new ArrayList<>();
    Promise<Void> submitted = Promise.promise();

    // Submitted from one event loop task, so the arrival order is the loop order.
    vertx.runOnContext(v -> {
      for (int i = 0; i < 5; i++) {
        calls.add(function.apply(event("o-" + i), new FunctionContext(vertx, "stub", Map.of())));
      }
      submitted.complete();
    });
    submitted.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Future.all(calls).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(List.of("o-0", "o-1", "o-2", "o-3", "o-4"), order);
  }

  @Test
  void opensAsManyConnectionsAsItsConcurrencyAndKeepsThemOpen(Vertx vertx) throws Exception {
    int concurrency = 20;
    List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
    Set<Object> connections = ConcurrentHashMap.newKeySet();
    int port = serve(vertx, (request, body) -> {
      connections.add(request.connection());
      held.add(request);
      // Nothing is answered until every request is in flight: a smaller pool would never get there.
      if (held.size() == concurrency) {
        held.forEach(r -> r.response().setStatusCode(204).end());
        held.clear();
      }
    });
    HttpFunction function = function(vertx, port, false, concurrency);

    for (int round = 0; round < 3; round++) {
      List<Future<CloudEvent>> calls = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        calls.add(call(vertx, function, event("k-" + round + "-" + i)));
      }
      Future.all(calls).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    assertEquals(concurrency, connections.size());
  }
}
