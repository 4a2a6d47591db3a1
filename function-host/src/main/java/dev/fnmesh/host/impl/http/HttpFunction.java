package dev.fnmesh.host.impl.http;

import dev.fnmesh.broker.HttpEventDecoder;
import dev.fnmesh.broker.HttpEventEncoder;
import dev.fnmesh.function.FunctionContext;
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
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.List;

/**
 * A function reached over HTTP: POSTs each event in CloudEvents binary or structured mode over pooled
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

  private Future<List<CloudEvent>> send(CloudEvent event, FunctionContext context) {
    HttpRequest<Buffer> request = client.postAbs(kind.url().toString())
        .timeout(requestTimeout.toMillis());
    // W3C Trace Context: the function's own spans continue the delivery attempt's trace.
    if (context.traceparent() != null) {
      request.putHeader("traceparent", context.traceparent());
      if (context.tracestate() != null) {
        request.putHeader("tracestate", context.tracestate());
      }
    }
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
        : Future.failedFuture(new IllegalStateException("function '" + name + "' at " + kind.shownUrl()
            + " could not be called with event id=" + event.getId() + ": " + outcome.cause(), outcome.cause())));
  }

  /** Closes the connections; requests still in flight fail. */
  @Override
  public void close() {
    client.close();
  }
}
