package dev.fnmesh.host.impl.http;

import dev.fnmesh.host.FunctionInstances;
import dev.fnmesh.mesh.HttpKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A remote HTTP function: every instance shares one {@link HttpFunction}, so the concurrency limit holds
 * for the function as a whole. Its connection pool is created with the first instance and closed with
 * the last, so a function no replica uses holds no connections.
 */
public final class HttpFunctionInstances implements FunctionInstances {

  private final String functionName;
  private final HttpKind kind;
  private final Duration requestTimeout;
  private final Vertx vertx;
  private final BitSet replicas = new BitSet();
  private HttpFunction shared;

  /** @param requestTimeout how long one request may take, as {@link HttpFunction} takes it */
  public HttpFunctionInstances(String functionName, HttpKind kind, Duration requestTimeout, Vertx vertx) {
    this.functionName = functionName;
    this.kind = kind;
    this.requestTimeout = requestTimeout;
    this.vertx = vertx;
  }

  @Override
  public synchronized Future<Instance> start() {
    if (shared == null) {
      shared = new HttpFunction(functionName, kind, requestTimeout, vertx);
    }
    int replica = replicas.nextClearBit(0);
    replicas.set(replica);
    HttpFunction function = shared;
    AtomicBoolean stopped = new AtomicBoolean();
    return Future.succeededFuture(new Instance(replica, function, () -> {
      if (stopped.compareAndSet(false, true)) {
        release(replica);
      }
      return Future.succeededFuture();
    }));
  }

  private synchronized void release(int replica) {
    replicas.clear(replica);
    if (replicas.isEmpty()) {
      shared.close();
      shared = null;
    }
  }
}
