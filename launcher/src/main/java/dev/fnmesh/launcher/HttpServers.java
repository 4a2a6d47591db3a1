package dev.fnmesh.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's HTTP port served by one server per core, each on its own event loop: Vert.x shares a port
 * between servers of one instance and spreads connections over them, so HTTP is not bound to one core.
 */
final class HttpServers {

  /** The longest request line (method, path and query, version); a longer one answers 414. */
  static final int MAX_REQUEST_LINE_BYTES = 4096;

  /** The most bytes of request headers, all together; more answers 431. */
  static final int MAX_HEADER_BYTES = 8192;

  private final Vertx vertx;
  private final Router router;
  private final Optional<HttpPortSettings.TlsFiles> tls;
  private final Duration idleTimeout;
  private String deployment;
  private volatile int port = -1;

  HttpServers(Vertx vertx, Router router, Optional<HttpPortSettings.TlsFiles> tls, Duration idleTimeout) {
    this.vertx = vertx;
    this.router = router;
    this.tls = tls;
    this.idleTimeout = idleTimeout;
  }

  /**
   * @return a future completed once every server listens; it fails when the port is taken or when the
   *     servers did not end up on one port
   */
  Future<Void> listen(int requestedPort, String host) {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    // Vert.x shares an explicit port between servers, but gives each server on port 0 a port of its own:
    // so port 0 is turned into a free port first, then every instance listens on it.
    int listenPort;
    try {
      listenPort = requestedPort == 0 ? freePort() : requestedPort;
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return vertx.deployVerticle(() -> new Listener(listenPort, host), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> deployment = id)
        .compose(id -> port > 0 ? Future.succeededFuture() : Future.failedFuture(
            new IllegalStateException("the HTTP servers did not agree on one port")));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  Future<Void> close() {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  private final class Listener extends VerticleBase {
    private final int listenPort;
    private final String host;

    Listener(int listenPort, String host) {
      this.listenPort = listenPort;
      this.host = host;
    }

    @Override
    public Future<?> start() {
      // Stated here, not left to the defaults: the README promises them as limits. A client asking to
      // upgrade to HTTP/2 without TLS (h2c, as the JDK's client does) stays on HTTP/1.1, where they hold.
      HttpServerOptions options = new HttpServerOptions().setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
          .setMaxHeaderSize(MAX_HEADER_BYTES).setHttp2ClearTextEnabled(false)
          .setIdleTimeout((int) idleTimeout.toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
      tls.ifPresent(files -> {
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(files.certificate().toString())
            .setKeyPath(files.key().toString()));
        files.clientCa().ifPresent(ca -> options.setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
      });
      return vertx.createHttpServer(options).requestHandler(router).listen(listenPort, host).compose(server -> {
        synchronized (HttpServers.this) {
          if (port < 0) {
            port = server.actualPort();
          } else if (port != server.actualPort()) {
            port = 0;
          }
        }
        return Future.succeededFuture(server);
      });
    }
  }
}
