package dev.fnmesh.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A synchronous call of a saturated http function: the calls beyond its concurrency wait up to its
 * maxWaiting and then all succeed; one more is refused at once with 503 and Retry-After.
 */
class BusyFunctionIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private HttpServer slow;
  private TestMesh mesh;

  @AfterEach
  void stop() {
    release.countDown();
    if (mesh != null) {
      mesh.close();
    }
    slow.stop(0);
    handlers.shutdownNow();
  }

  /** Holds every request until released, then answers it with its own body. */
  private void answerWhenReleased(HttpExchange exchange) throws IOException {
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      exchange.getResponseHeaders().set("content-type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  @Test
  void callsWithinConcurrencyAndMaxWaitingAllSucceedAndOneMoreIsRefusedWithRetryAfter() throws Exception {
    slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    slow.createContext("/", this::answerWhenReleased);
    slow.setExecutor(handlers);
    slow.start();
    mesh = TestMesh.start("""
        functions:
          slow: { http: "http://127.0.0.1:%d/", concurrency: 2, maxWaiting: 3 }
        """.formatted(slow.getAddress().getPort()));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(client.sendAsync(mesh.request("/functions/slow").timeout(WAIT)
          .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("call-" + i)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    // Two in flight and three waiting: the sixth call, whichever it is, is answered before any other.
    await().atMost(WAIT).until(() -> inFlight.get() == 2 && calls.stream().filter(CompletableFuture::isDone).count() == 1);
    HttpResponse<String> refused = calls.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().get();
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals(Optional.of("1"), refused.headers().firstValue("retry-after"));
    JsonObject problem = new JsonObject(refused.body());
    assertEquals(503, problem.getInteger("status"));
    assertEquals("functions.slow", problem.getString("field"));
    assertTrue(problem.getString("message").contains("busy"), problem.getString("message"));

    release.countDown();
    List<String> answered = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (response != refused) {
        assertEquals(200, response.statusCode(), response.body());
        answered.add(response.body());
      }
    }
    assertEquals(5, answered.size());
    assertTrue(answered.stream().allMatch(body -> body.startsWith("call-")), answered.toString());
    assertEquals(2, mostInFlight.get(), "the function never had more calls than its concurrency");
  }
}
