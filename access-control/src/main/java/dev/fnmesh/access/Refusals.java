package dev.fnmesh.access;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/** The answers to a refused request: a status and a JSON body naming the field and the problem. */
final class Refusals {

  private Refusals() {}

  /** 401: no credentials, or credentials that name nobody. */
  static void unauthenticated(RoutingContext ctx, String message, boolean tokenPresented) {
    // RFC 6750: a presented token that fails says invalid_token; a request without one gets the bare challenge.
    ctx.response().putHeader("WWW-Authenticate",
        tokenPresented ? "Bearer realm=\"fnmesh\", error=\"invalid_token\"" : "Bearer realm=\"fnmesh\"");
    answer(ctx, 401, message);
  }

  /** 403: a known caller without the grant the request needs. */
  static void forbidden(RoutingContext ctx, Caller caller, String grant) {
    answer(ctx, 403, "client '" + caller.name() + "' lacks the grant " + grant);
  }

  /** 429: a caller over its rate, told when to try again. */
  static void tooMany(RoutingContext ctx, Caller caller, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    answer(ctx, 429, "client '" + caller.name() + "' is over its rate of " + caller.rate().orElseThrow());
  }

  private static void answer(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("status", status).put("field", "authorization").put("message", message).toBuffer());
  }
}
