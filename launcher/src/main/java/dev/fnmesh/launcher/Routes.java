package dev.fnmesh.launcher;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.function.BooleanSupplier;

/** The routes every fnmesh process serves besides its own: the health check and a 404 that says what exists. */
final class Routes {

  private Routes() {}

  static void health(Router router, BooleanSupplier ready) {
    router.get("/healthz").handler(ctx -> {
      boolean isReady = ready.getAsBoolean();
      ctx.response().setStatusCode(isReady ? 200 : 503).putHeader("content-type", "application/json")
          .end(new JsonObject().put("status", isReady ? "ready" : "starting").toBuffer());
    });
  }

  /** @param served the routes this process serves, in words, for the message */
  static void notFound(Router router, String served) {
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", 404).put("field", "path")
            .put("message", "no route " + ctx.request().method() + " " + ctx.request().path() + "; try " + served)
            .toBuffer()));
  }
}
