package dev.fnmesh.host.impl.container;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Waits until a container's server answers HTTP on its published port, any status counting, trying every
 * 100 ms on timers. A port that accepts connections is not enough: docker's proxy and rootless podman accept
 * them on the host before the server inside listens.
 */
final class ContainerReadiness {

  static final long POLL_MS = 100;
  private static final int REQUEST_TIMEOUT_MS = 1000;

  private ContainerReadiness() {}

  /**
   * @param deadlineNanos the {@link System#nanoTime()} by which it must answer
   * @param what names the container for the failure's message
   * @return a future completed on {@code context} once it answered; it fails once the deadline passed
   */
  static Future<Void> await(Context context, int port, String path, long deadlineNanos, String what) {
    HttpClient client = context.owner().createHttpClient(new HttpClientOptions().setConnectTimeout(REQUEST_TIMEOUT_MS)
        .setKeepAlive(false));
    Promise<Void> ready = Promise.promise();
    context.runOnContext(v -> probe(context, client, port, path, deadlineNanos, what, ready));
    ready.future().onComplete(outcome -> client.close());
    return ready.future();
  }

  private static void probe(Context context, HttpClient client, int port, String path, long deadlineNanos,
      String what, Promise<Void> ready) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(path).setIdleTimeout(REQUEST_TIMEOUT_MS);
    client.request(request).compose(req -> req.send()).compose(response -> response.body().map(body -> response))
        .onComplete(answered -> context.runOnContext(v -> {
          if (answered.succeeded()) {
            ready.complete();
          } else if (System.nanoTime() - deadlineNanos >= 0) {
            ready.fail(new IllegalStateException(what + " did not answer HTTP on 127.0.0.1:" + port + path
                + " in time (readiness): " + answered.cause().getMessage()));
          } else {
            context.owner().setTimer(POLL_MS, id -> probe(context, client, port, path, deadlineNanos, what, ready));
          }
        }));
  }
}
