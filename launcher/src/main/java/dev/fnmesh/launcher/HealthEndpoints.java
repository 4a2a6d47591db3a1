package dev.fnmesh.launcher;

import dev.fnmesh.broker.HttpSurface;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The probes of a process, answered on the event loop from state read without waiting, so they answer
 * while Kafka does not: {@code GET /healthz} (200 once started, as always), {@code GET /readyz} (200 while
 * the process should get traffic, see {@link Readiness}) and {@code GET /livez} (200 while it serves at all).
 */
final class HealthEndpoints implements HttpSurface {

  private final Readiness readiness;

  HealthEndpoints(Readiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public void mount(Router router) {
    router.get("/healthz").handler(ctx -> {
      boolean started = readiness.started();
      answer(ctx.response(), started ? 200 : 503, started ? "ready" : "starting");
    });
    router.get("/readyz").handler(ctx -> {
      Readiness.State state = readiness.state();
      answer(ctx.response(), state == Readiness.State.READY ? 200 : 503, state.word);
    });
    router.get("/livez").handler(ctx -> answer(ctx.response(), 200, "live"));
  }

  private static void answer(HttpServerResponse response, int status, String word) {
    response.setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", word).toBuffer());
  }

  @Override
  public String routes() {
    return "GET /healthz, GET /readyz, GET /livez";
  }
}
