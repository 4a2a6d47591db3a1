package dev.fnmesh.host.impl.http;

import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.HttpEventEncoder;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.host.FunctionBusy;
import dev.fnmesh.host.QueuedFunction;
import dev.fnmesh.mesh.HttpKind;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.List;

/**
 * A function reached over HTTP: POSTs each event in CloudEvents binary or structured mode (a batch in the JSON
 * batch format, see {@link BatchReplies}) over pooled
 * HTTP/1.1 keep-alive connections, at most the function's {@code concurrency} at once (the others wait,
 * a synchronous call only while fewer than {@code maxWaiting} do), each given up after the request timeout,
 * and reads the answer, zero or more replies, with {@link HttpReplies}. Its messages show the URL without user information. Owns
 * its connection pool until {@link #close()}.
 */
public final class HttpFunction implements QueuedFunction, AutoCloseable {

  private static final long CONNECT_TIMEOUT_MS = 10_000;

  private final String name;
  private final HttpKind kind;
  private final Duration requestTimeout;
  private final WebClient client;
  private final HttpConcurrencyLimit limit;
  private final HttpReplies replies;
  private final BatchReplies batches;
  private final JsonFormat structuredFormat = new JsonFormat();

  /**
   * @param requestTimeout how long one request may take before its connection is given up; a backstop that
   *     frees connections, above the delivery timeouts that cut attempts off first
   */
  public HttpFunction(String name, HttpKind kind, Duration requestTimeout, Vertx vertx) {
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
    this.name = name;
    this.kind = kind;
    this.requestTimeout = requestTimeout;
    // The pool holds a connection for every request the limit lets through, so none waits inside the client.
    this.client = WebClient.create(vertx,
        new WebClientOptions().setKeepAlive(true).setConnectTimeout((int) CONNECT_TIMEOUT_MS).setUserAgent("fnmesh"),
        new PoolOptions().setHttp1MaxSize(kind.concurrency()));
    // Requests wait for a slot here, not in the client's pool, which fails waiters after the connect timeout.
    this.limit = new HttpConcurrencyLimit(name, "function '" + name + "' at " + kind.shownUrl(), kind.concurrency(),
        kind.maxWaiting(), requestTimeout);
    this.replies = new HttpReplies(name, kind.shownUrl(), HttpEventDecoder.create());
    this.batches = new BatchReplies(name, kind.shownUrl());
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * @return the replies: none, one, or those of a CloudEvents JSON batch; fails when the function could not be reached, answered a status other than 2xx
   *     (with {@link dev.fnmesh.function.PermanentFailure} for a client error) or answered a CloudEvent that
   *     is invalid
   */
  @Override
  public Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
    return limit.submit(() -> send(event, context));
  }

  /** @return as {@link #applyAll}; fails at once with {@link FunctionBusy} when {@code maxWaiting} calls wait */
  @Override
  public Future<List<CloudEvent>> applyAllUnlessBusy(CloudEvent event, FunctionContext context) {
    return limit.submitUnlessBusy(() -> send(event, context));
  }

  /**
   * POSTs the events in one request of the CloudEvents JSON batch format, whatever mode single events use, and
   * reads the answer with {@link BatchReplies}.
   *
   * @return one result per event; fails as {@link #apply} does, and when the answer is no batch answer
   */
  @Override
  public Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext context) {
    return limit.submit(() -> {
      HttpRequest<Buffer> request = request(context).putHeader("content-type", BatchReplies.CONTENT_TYPE);
      return request.sendBuffer(batches.body(events)).transform(outcome -> {
        if (outcome.failed()) {
          return Future.failedFuture(unreachable(BatchReplies.describe(events), outcome.cause()));
        }
        HttpResponse<Buffer> response = outcome.result();
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
          return Future.failedFuture(replies.refusal(BatchReplies.describe(events), response));
        }
        try {
          return Future.succeededFuture(batches.results(events, response));
        } catch (IllegalStateException e) {
          return Future.failedFuture(e);
        }
      });
    });
  }

  private HttpRequest<Buffer> request(FunctionContext context) {
    HttpRequest<Buffer> request = client.postAbs(kind.url().toString())
        .timeout(requestTimeout.toMillis());
    // W3C Trace Context: the function's own spans continue the delivery attempt's trace.
    if (context.traceparent() != null) {
      request.putHeader("traceparent", context.traceparent());
      if (context.tracestate() != null) {
        request.putHeader("tracestate", context.tracestate());
      }
    }
    return request;
  }

  private IllegalStateException unreachable(String sent, Throwable cause) {
    return new IllegalStateException("function '" + name + "' at " + kind.shownUrl() + " could not be called with "
        + sent + ": " + cause, cause);
  }

  private Future<List<CloudEvent>> send(CloudEvent event, FunctionContext context) {
    HttpRequest<Buffer> request = request(context);
    Buffer body;
    if (kind.structured()) {
      request.putHeader("content-type", JsonFormat.CONTENT_TYPE);
      body = Buffer.buffer(structuredFormat.serialize(event));
    } else {
      HttpEventEncoder.writeHeaders(event, request.headers());
      body = HttpEventEncoder.body(event);
    }
    return request.sendBuffer(body).transform(outcome -> outcome.succeeded()
        ? replies.outcome(event, outcome.result())
        : Future.failedFuture(unreachable("event id=" + event.getId(), outcome.cause())));
  }

  /** Closes the connections; requests still in flight fail. */
  @Override
  public void close() {
    client.close();
  }
}
