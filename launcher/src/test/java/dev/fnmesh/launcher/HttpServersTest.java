package dev.fnmesh.launcher;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpServersTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> ctx.response().end("ok"));
    HttpServers servers = new HttpServers(vertx, router, Optional.empty(), Duration.ofMillis(300));
    servers.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

    try (Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", servers.port()), 5_000);
      // The read's own timeout is the test's deadline: it ends early only because the server closed.
      silent.setSoTimeout(10_000);
      long start = System.nanoTime();
      InputStream in = silent.getInputStream();

      assertEquals(-1, in.read());
      assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos(), "closed before the idle timeout");
    }
  }
}
