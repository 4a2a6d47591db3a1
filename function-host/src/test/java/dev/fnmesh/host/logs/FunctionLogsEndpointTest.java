package dev.fnmesh.host.logs;

import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.MeshConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/functions/{name}/logs} over a real HTTP server, fed through the buffer as the host feeds it. */
class FunctionLogsEndpointTest {

  private static final MeshConfig MESH = new MeshConfig(
      Map.of("talker", new FunctionSpec("talker", new JavaKind("echo", false, Optional.empty()), Map.of())),
      Map.of(), Map.of());

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void answersTheRecentEntriesOfAFunctionAsAJsonArray() throws Exception {
    int port = serve(new FunctionLogsEndpoint(vertx, () -> MESH));
    FunctionLogs.of(vertx).record(FunctionLogEntry.line("talker", 1, FunctionLogEntry.Stream.STDERR, "hello"));

    await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "talker").body().contains("hello"));
    JsonObject entry = new JsonArray(get(port, "talker").body()).getJsonObject(0);
    assertEquals(Map.of("function", "talker", "replica", 1, "stream", "stderr", "message", "hello"),
        Map.of("function", entry.getString("function"), "replica", entry.getInteger("replica"),
            "stream", entry.getString("stream"), "message", entry.getString("message")));
    assertTrue(!entry.containsKey("seq") && entry.getString("time").endsWith("Z"), entry.encode());
  }

  @Test
  void aFunctionTheMeshDoesNotHaveIs404() throws Exception {
    int port = serve(new FunctionLogsEndpoint(vertx, () -> MESH));

    HttpResponse<String> response = get(port, "nobody");

    assertEquals(404, response.statusCode());
    assertEquals("function", new JsonObject(response.body()).getString("field"));
  }

  @Test
  void aFollowerGetsTheRecentEntriesThenEachNewOneOnceAndOneBeyondTheBoundIsAnswered503() throws Exception {
    int port = serve(new FunctionLogsEndpoint(vertx, () -> MESH, 1));
    FunctionLogs logs = FunctionLogs.of(vertx);
    logs.record(FunctionLogEntry.line("talker", 0, FunctionLogEntry.Stream.STDOUT, "before"));
    await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "talker").body().contains("before"));

    HttpResponse<InputStream> first = follow(port, "talker");
    assertEquals(200, first.statusCode());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8))) {
      assertEquals("before", nextEntry(lines).getString("message"));
      HttpResponse<InputStream> second = follow(port, "talker");
      assertEquals(503, second.statusCode());
      assertEquals("5", second.headers().firstValue("Retry-After").orElseThrow());
      second.body().close();

      logs.record(FunctionLogEntry.failure("talker", Optional.of("talk"), "e-1", "attempt 1 failed"));
      JsonObject failure = nextEntry(lines);
      assertEquals("failure", failure.getString("stream"));
      assertEquals("e-1", failure.getString("event_id"));
      logs.record(FunctionLogEntry.line("talker", 0, FunctionLogEntry.Stream.STDOUT, "after"));
      assertEquals("after", nextEntry(lines).getString("message"));
    }
  }

  private static JsonObject nextEntry(BufferedReader lines) throws Exception {
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.startsWith("data: ")) {
        return new JsonObject(line.substring("data: ".length()));
      }
    }
    throw new AssertionError("the stream ended");
  }

  private int serve(FunctionLogsEndpoint endpoint) throws Exception {
    vertx.deployVerticle(new FunctionLogBuffer()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Router router = Router.router(vertx);
    endpoint.mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private HttpResponse<String> get(int port, String function) throws Exception {
    return http.send(request(port, function, ""), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<InputStream> follow(int port, String function) throws Exception {
    return http.send(request(port, function, "?follow=true"), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static HttpRequest request(int port, String function, String query) {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/functions/" + function + "/logs" + query);
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
  }
}
