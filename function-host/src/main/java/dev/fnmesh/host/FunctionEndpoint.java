package dev.fnmesh.host;

import dev.fnmesh.broker.HttpSurface;
import dev.fnmesh.broker.DecodedEvents;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.HttpEventEncoder;
import dev.fnmesh.broker.ProblemResponses;
import dev.fnmesh.host.logs.FunctionLogEntry;
import dev.fnmesh.host.logs.FunctionLogs;
import dev.fnmesh.host.logs.LogFields;
import dev.fnmesh.broker.tracing.EventTraceContext;
import dev.fnmesh.broker.tracing.IngressTracing;
import dev.fnmesh.broker.tracing.MessagingAttributes;
import dev.fnmesh.broker.tracing.Tracing;
import dev.fnmesh.mesh.MeshException;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * {@code /functions/{name}}: calls a function synchronously over HTTP. A request that is a CloudEvent is
 * passed as is; any other request is wrapped into one by {@link HttpRequestEvents}. A single reply event is
 * written back in binary mode, several as a CloudEvents JSON batch; no reply answers 204. A function with {@code maxWaiting} calls waiting
 * already answers 503 with {@code Retry-After}, rather than queueing callers without bound; one that cannot
 * start on this host (a secret it names is missing) answers 503 naming the key.
 */
public final class FunctionEndpoint implements HttpSurface {

  private static final Logger LOG = LoggerFactory.getLogger(FunctionEndpoint.class);
  private static final String RETRY_AFTER_SECONDS = "1";

  private final FunctionCatalog catalog;
  private final HttpEventDecoder decoder;
  private final long maxBodyBytes;
  private final Duration timeout;
  private final Tracing tracing;

  public FunctionEndpoint(FunctionCatalog catalog, HttpEventDecoder decoder, long maxBodyBytes, Duration timeout) {
    this(catalog, decoder, maxBodyBytes, timeout, Tracing.OFF);
  }

  /** @param tracing a server span per call, whose context the function gets, when on */
  public FunctionEndpoint(FunctionCatalog catalog, HttpEventDecoder decoder, long maxBodyBytes, Duration timeout,
      Tracing tracing) {
    this.tracing = tracing;
    this.catalog = catalog;
    this.decoder = decoder;
    this.maxBodyBytes = maxBodyBytes;
    this.timeout = timeout;
  }

  @Override
  public void mount(Router router) {
    new IngressTracing(tracing).serve(router.route("/functions/:name"), "/functions/{name}")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::invoke)
        .failureHandler(ProblemResponses.failureHandler(maxBodyBytes));
  }
  @Override
  public String routes() {
    return "/functions/{name}";
  }


  private void invoke(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    var function = catalog.find(name);
    if (function.isEmpty()) {
      ProblemResponses.write(ctx.response(), new EventProblem(404, "function", "no function named '" + name
          + "' in the running mesh"));
      return;
    }
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    CloudEvent event;
    if (HttpRequestEvents.isCloudEvent(ctx.request())) {
      DecodedEvents decoded = decoder.decode(ctx.request().headers(), body);
      if (decoded instanceof DecodedEvents.Refused refused) {
        ProblemResponses.write(ctx.response(), refused.problem());
        return;
      }
      var events = ((DecodedEvents.Accepted) decoded).events();
      if (events.size() != 1) {
        ProblemResponses.write(ctx.response(), EventProblem.badRequest("body",
            "a function is called with exactly one event, got a batch of " + events.size()));
        return;
      }
      event = events.get(0);
    } else {
      event = HttpRequestEvents.wrap(ctx.request(), ctx.queryParams(), body, name);
    }
    CloudEvent called = event;
    Span span = IngressTracing.serverSpan(ctx);
    Map<String, String> trace = Map.of();
    if (span != null) {
      span.setAttribute(MessagingAttributes.FUNCTION, name);
      trace = EventTraceContext.headers(span);
    }
    String traceparent = trace.get(EventTraceContext.TRACEPARENT);
    String tracestate = trace.get(EventTraceContext.TRACESTATE);
    LogFields fields = LogFields.invocation(name, called);
    fields.within(() -> function.get().invokeUnlessBusy(called, timeout, traceparent, tracestate)).onComplete(outcome -> {
      if (outcome.succeeded()) {
        respond(ctx, outcome.result());
      } else {
        fail(ctx, name, called, outcome.cause());
      }
    });
  }

  private static void respond(RoutingContext ctx, Replies replies) {
    if (replies.isEmpty()) {
      ctx.response().setStatusCode(204).end();
    } else if (replies.size() == 1) {
      CloudEvent reply = replies.events().get(0);
      HttpEventEncoder.writeHeaders(reply, ctx.response().headers());
      ctx.response().setStatusCode(200).end(HttpEventEncoder.body(reply));
    } else {
      ctx.response().putHeader("content-type", HttpEventDecoder.BATCH_JSON).setStatusCode(200)
          .end(HttpEventEncoder.batchBody(replies.events()));
    }
  }

  private static void fail(RoutingContext ctx, String name, CloudEvent event, Throwable cause) {
    if (cause instanceof FunctionBusy busy) {
      // Refused before anything was sent: not worth a log line per call while the function is that busy.
      ctx.response().putHeader("retry-after", RETRY_AFTER_SECONDS);
      ProblemResponses.write(ctx.response(), new EventProblem(503, "functions." + busy.functionName(),
          busy.getMessage()));
      return;
    }
    if (cause instanceof MeshException cannotStart) {
      LogFields.invocation(name, event).on(LOG.atWarn()).log("function cannot start cause={}", cannotStart.getMessage());
      ProblemResponses.write(ctx.response(), new EventProblem(503, cannotStart.problems().get(0).key(),
          cannotStart.getMessage()));
      return;
    }
    boolean timedOut = cause instanceof TimeoutException;
    LogFields.invocation(name, event).on(LOG.atWarn()).log("function call failed cause={}", cause.toString());
    FunctionLogs.of(ctx.vertx()).record(FunctionLogEntry.failure(name, Optional.empty(), event.getId(),
        "call failed: " + (cause.getMessage() == null ? cause.toString()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage())));
    ProblemResponses.write(ctx.response(), new EventProblem(timedOut ? 504 : 502, "function",
        "function '" + name + "' " + (timedOut ? "timed out: " : "failed: ") + cause.getMessage()));
  }
}
