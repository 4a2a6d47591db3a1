package dev.fnmesh.broker;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every refusal fnmesh answers over HTTP has the same JSON shape:
 * {@code {"status": 400, "field": "id", "message": "required attribute 'id' is missing"}}.
 */
public final class ProblemResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

  private ProblemResponses() {}

  public static void write(HttpServerResponse response, EventProblem problem) {
    JsonObject body = new JsonObject()
        .put("status", problem.status())
        .put("field", problem.field())
        .put("message", problem.message());
    response.setStatusCode(problem.status())
        .putHeader("content-type", "application/json")
        .end(body.toBuffer());
  }

  /**
   * A route failure handler that answers in the same shape: 413 when a body handler found the body too
   * large, otherwise the failure's status, or 500 for an unexpected exception (which is logged).
   */
  public static Handler<RoutingContext> failureHandler(long maxBodyBytes) {
    return ctx -> {
      if (ctx.response().headWritten()) {
        return;
      }
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      EventProblem problem = switch (status) {
        case 413 -> new EventProblem(413, "body", "the body is larger than the limit of " + maxBodyBytes + " bytes");
        case 500 -> {
          LOG.error("request failed path={}", ctx.request().path(), ctx.failure());
          yield new EventProblem(500, "server", "internal error: "
              + (ctx.failure() == null ? "unknown" : ctx.failure().getMessage()));
        }
        default -> new EventProblem(status, "request", "request failed with status " + status);
      };
      write(ctx.response(), problem);
    };
  }
}
