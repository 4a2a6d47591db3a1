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
  /** How long a client is asked to wait before sending again what Kafka could not take. */
  public static final int RETRY_AFTER_SECONDS = 1;

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
   * Answers that events were not written to Kafka, so none is accepted: 413 when an event is larger than
   * Kafka takes, otherwise 503 with {@code Retry-After}. A busy Kafka is not logged: it says so to every
   * request while it lasts, and its clients are told when to come back.
   *
   * @param what the events in words, such as {@code the event} or {@code the 3 events}
   */
  public static void writeNotWritten(HttpServerResponse response, Throwable cause, String what) {
    PublishException.Kind kind = cause instanceof PublishException failed ? failed.kind()
        : PublishException.Kind.NOT_ACKNOWLEDGED;
    EventProblem problem = switch (kind) {
      case TOO_LARGE -> new EventProblem(413, "body", "an event is larger than Kafka takes, so nothing of " + what
          + " is written. Cause: " + cause.getMessage());
      case BUSY -> new EventProblem(503, "kafka", "Kafka takes events slower than they arrive, so nothing of " + what
          + " is written; retry after " + RETRY_AFTER_SECONDS + " s. Cause: " + cause.getMessage());
      case NOT_ACKNOWLEDGED -> new EventProblem(503, "kafka", "Kafka did not acknowledge " + what
          + ", so nothing of it is accepted; retry later. Cause: " + cause.getMessage());
    };
    if (kind != PublishException.Kind.BUSY) {
      LOG.warn("publish failed events=\"{}\" status={} cause={}", what, problem.status(), cause.getMessage());
    }
    if (problem.status() == 503) {
      response.putHeader("retry-after", Integer.toString(RETRY_AFTER_SECONDS));
    }
    write(response, problem);
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
