package dev.fnmesh.broker.webhook;

import dev.fnmesh.broker.webhook.signature.ProviderRecipes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.broker.webhook.TestWebhooks.SECRET;

/**
 * A webhook ingress served on a free local port, and an HTTP client nobody here wrote that posts to it, as
 * a provider would. The server lives as long as its Vert.x.
 */
final class WebhookServer {

  private final HttpClient client = HttpClient.newHttpClient();
  private final int port;

  private WebhookServer(int port) {
    this.port = port;
  }

  /** Mounts the ingress on a new HTTP server of {@code vertx}, listening once this returns. */
  static WebhookServer serve(Vertx vertx, WebhookIngress ingress) throws Exception {
    Router router = Router.router(vertx);
    ingress.mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new WebhookServer(server.actualPort());
  }

  /** Posts the body to the path with the headers, given as name, value, name, value... */
  HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Posts a GitHub delivery to {@code /webhooks/github}, signed with {@link TestWebhooks#SECRET} over
   * {@code signedBody}; sending another {@code sentBody} makes a forgery.
   */
  HttpResponse<String> postGithub(String event, String delivery, byte[] signedBody, byte[] sentBody,
      String... moreHeaders) throws Exception {
    List<String> headers = new ArrayList<>(List.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
        "X-Hub-Signature-256", ProviderRecipes.github(SECRET, signedBody),
        "content-type", "application/json"));
    headers.addAll(List.of(moreHeaders));
    return post("/webhooks/github", sentBody, headers.toArray(String[]::new));
  }
}
