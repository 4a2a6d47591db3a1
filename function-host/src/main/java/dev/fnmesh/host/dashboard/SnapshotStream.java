package dev.fnmesh.host.dashboard;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.ProblemResponses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/stream}: server-sent events, one {@code data:} line a second holding a JSON snapshot of the
 * process (its triggers and, on a controller, its hosts), for the dashboard and anyone who would rather not
 * poll. Each client holds a timer on the event loop that took its request, cancelled when it leaves.
 */
public final class SnapshotStream implements HttpSurface {

  /** The most clients following the stream at once: each holds a timer and a connection. */
  public static final int MAX_CLIENTS = 16;
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final DashboardSource source;
  private final Clock clock;
  private final int maxClients;
  // Requests arrive on every event loop; a count is all they share.
  private final AtomicInteger clients = new AtomicInteger();

  public SnapshotStream(Vertx vertx, DashboardSource source) {
    this(vertx, source, Clock.systemUTC(), MAX_CLIENTS);
  }

  SnapshotStream(Vertx vertx, DashboardSource source, Clock clock, int maxClients) {
    this.vertx = vertx;
    this.source = source;
    this.clock = clock;
    this.maxClients = maxClients;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/stream").handler(this::follow);
  }

  @Override
  public String routes() {
    return "GET /api/stream";
  }

  /** How many clients follow the stream now. */
  int clients() {
    return clients.get();
  }

  private void follow(RoutingContext ctx) {
    if (clients.incrementAndGet() > maxClients) {
      clients.decrementAndGet();
      ctx.response().putHeader("Retry-After", "5");
      ProblemResponses.write(ctx.response(), new EventProblem(503, "stream",
          maxClients + " clients follow the stream already, the most this process serves at once"));
      return;
    }
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-store");
    Follower follower = new Follower(response);
    response.closeHandler(closed -> follower.leave());
    response.exceptionHandler(failed -> follower.leave());
    follower.start();
  }

  /** One client; lives on the event loop of its request, where its timer and close handler run. */
  private final class Follower {

    private final HttpServerResponse response;
    private long timer = -1;
    private boolean left;

    Follower(HttpServerResponse response) {
      this.response = response;
    }

    void start() {
      timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> send());
      send();
    }

    void send() {
      if (left) {
        return;
      }
      if (response.closed()) {
        leave();
        return;
      }
      // A client that reads slower than snapshots come misses some rather than queueing them in memory.
      if (!response.writeQueueFull()) {
        response.write(Buffer.buffer("data: ").appendBuffer(source.snapshot(clock.instant()).toBuffer())
            .appendString("\n\n"));
      }
    }

    void leave() {
      if (left) {
        return;
      }
      left = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      clients.decrementAndGet();
    }
  }
}
