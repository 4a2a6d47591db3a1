package dev.fnmesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/**
 * The bar for the ingress: a Vert.x HTTP server that reads the whole body and answers 202 with a body
 * like fnmesh's, doing nothing else. Like fnmesh's server it is one instance, so one event loop.
 */
final class BareServer {

  private static final Buffer ACCEPTED = Buffer.buffer("{\"topic\":\"bench\",\"accepted\":1}");

  private final HttpServer server;

  private BareServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on a free loopback port. */
  static Future<BareServer> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> request.response().setStatusCode(202)
            .putHeader("content-type", "application/json")
            .end(ACCEPTED))
        .onFailure(failure -> request.response().setStatusCode(400).end()));
    return server.listen(0, "127.0.0.1").map(BareServer::new);
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> close() {
    return server.close();
  }
}
