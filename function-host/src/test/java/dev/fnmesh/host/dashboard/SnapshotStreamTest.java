package dev.fnmesh.host.dashboard;

import dev.fnmesh.host.TriggerStats;
import dev.fnmesh.host.runtime.ScalingStatus;
import dev.fnmesh.host.runtime.TriggerStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/stream} over HTTP: what each snapshot holds, how often it comes, and how many clients it serves. */
class SnapshotStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicReference<TriggerStatus> work = new AtomicReference<>(status(0));
  private SnapshotStream stream;
  private URI uri;

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientGetsASnapshotAtOnceThenAFreshOneEverySecond() throws Exception {
    serve(new DashboardSource(DashboardSource.Role.MESH, () -> List.of(work.get())), 4);

    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
    BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));

    JsonObject first = nextSnapshot(events);
    work.set(status(7));
    JsonObject later = nextSnapshot(events);
    while (later.getJsonArray("triggers").getJsonObject(0).getJsonObject("events").getLong("succeeded") != 7) {
      later = nextSnapshot(events);
    }

    assertEquals("mesh", first.getString("role"));
    assertEquals(false, first.containsKey("hosts"));
    JsonObject trigger = first.getJsonArray("triggers").getJsonObject(0);
    assertEquals("work", trigger.getString("name"));
    assertEquals("running", trigger.getString("state"));
    assertEquals(3L, trigger.getJsonObject("scaling").getJsonObject("lagByPartition").getLong("1"));
    assertEquals("lag 5 over 2 partitions", trigger.getJsonObject("scaling").getString("lastDecision"));
    assertTrue(Instant.parse(later.getString("at")).isAfter(Instant.parse(first.getString("at"))));
    response.body().close();
  }

  @Test
  void aControllersSnapshotNamesItsHostsAndWhatEachWasGiven() throws Exception {
    work.set(work.get().withScaling(work.get().scaling().withHosts(Map.of("host-a", 1, "host-b", 1))));
    serve(new DashboardSource(DashboardSource.Role.CONTROLLER, () -> List.of(work.get()),
        Optional.of(() -> new TreeSet<>(List.of("host-a", "host-b")))), 4);

    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    JsonObject snapshot = nextSnapshot(new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8)));

    assertEquals("controller", snapshot.getString("role"));
    assertEquals(List.of("host-a", "host-b"), snapshot.getJsonArray("hosts").getList());
    assertEquals(1, snapshot.getJsonArray("triggers").getJsonObject(0).getJsonObject("scaling")
        .getJsonObject("hosts").getInteger("host-b"));
    response.body().close();
  }

  @Test
  void aClientBeyondTheBoundIsAnswered503AndALeavingClientFreesItsSlot() throws Exception {
    serve(new DashboardSource(DashboardSource.Role.HOST, () -> List.of(work.get())), 1);
    HttpResponse<InputStream> first = http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, first.statusCode());

    HttpResponse<String> second = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(503, second.statusCode(), second.body());
    assertEquals("5", second.headers().firstValue("Retry-After").orElseThrow());
    assertEquals("stream", new JsonObject(second.body()).getString("field"));
    assertEquals(1, stream.clients());

    first.body().close();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (stream.clients() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, stream.clients(), "the client that left still holds its slot");
    HttpResponse<InputStream> again = http.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, again.statusCode());
    again.body().close();
  }

  private void serve(DashboardSource source, int maxClients) throws Exception {
    stream = new SnapshotStream(vertx, source, Clock.systemUTC(), maxClients);
    Router router = Router.router(vertx);
    stream.mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/api/stream");
  }

  /** The JSON of the next event's {@code data:} line; fails the test when none comes within the wait. */
  private static JsonObject nextSnapshot(BufferedReader events) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = events.readLine(); line != null; line = events.readLine()) {
          if (line.startsWith("data: ")) {
            return new JsonObject(line.substring("data: ".length()));
          }
        }
        throw new AssertionError("the stream ended");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static TriggerStatus status(long succeeded) {
    return new TriggerStatus("work", "kafka", "orders", "identity", java.util.List.of(), "running", Optional.empty(), 2,
        new TriggerStats.Snapshot(succeeded, succeeded, 0, 0, 0),
        new ScalingStatus(2, 5, Map.of(0, 2L, 1, 3L), Optional.of("lag 5 over 2 partitions"),
            Optional.of(Instant.parse("2026-12-07T18:00:00Z"))));
  }
}
