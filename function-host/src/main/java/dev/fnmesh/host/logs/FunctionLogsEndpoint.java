package dev.fnmesh.host.logs;

import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.mesh.MeshConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /api/functions/{name}/logs}: a function's recent output lines and failed calls as this process
 * keeps them ({@link FunctionLogBuffer}), a JSON array oldest first: those of its own functions, or on a mesh's
 * controller, those of every host, as the hosts wrote them to the log topic ({@link FunctionLogCollector}); with {@code follow=true}, the same as
 * server-sent events, one entry per {@code data:} line, then each new entry as it comes. A follower that does
 * not read fast enough is disconnected rather than buffered for without bound.
 */
public final class FunctionLogsEndpoint implements HttpSurface {

  /** The most clients following function logs at once per process. */
  public static final int MAX_FOLLOWERS = 32;

  private final Vertx vertx;
  private final Supplier<MeshConfig> mesh;
  private final int maxFollowers;
  // Requests arrive on every event loop; a count is all they share.
  private final AtomicInteger followers = new AtomicInteger();

  /** @param mesh the running mesh, null before the first one ran */
  public FunctionLogsEndpoint(Vertx vertx, Supplier<MeshConfig> mesh) {
    this(vertx, mesh, MAX_FOLLOWERS);
  }

  FunctionLogsEndpoint(Vertx vertx, Supplier<MeshConfig> mesh, int maxFollowers) {
    this.vertx = vertx;
    this.mesh = mesh;
    this.maxFollowers = maxFollowers;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/functions/:name/logs").handler(this::logs);
  }

  @Override
  public String routes() {
    return "GET /api/functions/{name}/logs";
  }

  private void logs(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!declared(mesh.get(), name)) {
      ProblemResponses.write(ctx.response(), new EventProblem(404, "function",
          "no function named '" + name + "' in the running mesh"));
      return;
    }
    if (Boolean.parseBoolean(ctx.request().getParam("follow", "false"))) {
      follow(ctx, name);
      return;
    }
    vertx.eventBus().<JsonArray>request(FunctionLogs.RECENT_ADDRESS, name).onComplete(recent -> {
      if (recent.failed()) {
        ProblemResponses.write(ctx.response(), new EventProblem(503, "function",
            "the logs of function '" + name + "' cannot be read: " + recent.cause().getMessage()));
        return;
      }
      JsonArray entries = new JsonArray();
      recent.result().body().forEach(entry -> entries.add(withoutSequence((JsonObject) entry)));
      ctx.response().putHeader("content-type", "application/json").end(entries.encode());
    });
  }

  private void follow(RoutingContext ctx, String name) {
    if (followers.incrementAndGet() > maxFollowers) {
      followers.decrementAndGet();
      ctx.response().putHeader("Retry-After", "5");
      ProblemResponses.write(ctx.response(), new EventProblem(503, "function",
          maxFollowers + " clients follow function logs already, the most this process serves at once"));
      return;
    }
    HttpServerResponse response = ctx.response();
    Follower follower = new Follower(response);
    // Subscribed before the recent entries are asked for, so that none falls between the two; the numbers the
    // buffer gives its entries tell which of those that arrive meanwhile the answer held already.
    MessageConsumer<JsonObject> live = vertx.eventBus().localConsumer(FunctionLogs.liveAddress(name),
        message -> follower.live(message.body()));
    Runnable stop = new Runnable() {
      private boolean stopped;

      @Override
      public void run() {
        if (!stopped) {
          stopped = true;
          live.unregister();
          followers.decrementAndGet();
        }
      }
    };
    response.closeHandler(closed -> stop.run());
    response.endHandler(ended -> stop.run());
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
    // A comment first, so that the client sees the stream open before the first entry.
    response.write(": logs of " + name + "\n\n");
    live.completion()
        .compose(v -> vertx.eventBus().<JsonArray>request(FunctionLogs.RECENT_ADDRESS, name))
        .onSuccess(recent -> follower.recent(recent.body()))
        .onFailure(e -> response.end(": the logs cannot be read: " + e.getMessage() + "\n\n"));
  }

  private static boolean declared(MeshConfig running, String name) {
    return running != null && running.functions().containsKey(name);
  }

  private static JsonObject withoutSequence(JsonObject entry) {
    JsonObject copy = entry.copy();
    copy.remove("seq");
    return copy;
  }

  /** One client's stream; all its methods run on the request's context. */
  private static final class Follower {
    private final HttpServerResponse response;
    private final List<JsonObject> early = new ArrayList<>();
    private long shown = -1;
    private boolean started;

    Follower(HttpServerResponse response) {
      this.response = response;
    }

    void recent(JsonArray entries) {
      entries.forEach(entry -> write((JsonObject) entry));
      started = true;
      early.forEach(this::write);
      early.clear();
    }

    void live(JsonObject entry) {
      if (started) {
        write(entry);
      } else {
        early.add(entry);
      }
    }

    private void write(JsonObject entry) {
      long seq = entry.getLong("seq");
      if (seq <= shown || response.ended() || response.closed()) {
        return;
      }
      shown = seq;
      if (response.writeQueueFull()) {
        response.end(": disconnected, the client does not keep up\n\n");
        return;
      }
      response.write("id: " + seq + "\ndata: " + withoutSequence(entry).encode() + "\n\n");
    }
  }
}
