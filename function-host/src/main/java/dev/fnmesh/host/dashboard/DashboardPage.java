package dev.fnmesh.host.dashboard;

import dev.fnmesh.broker.HttpSurface;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /ui}: the dashboard, one page with its script and style sheet, the same for everyone and holding
 * no data (the script reads {@code GET /api/stream} with the token it is given). Served with a content
 * security policy that lets the page run its own script and style sheet and nothing else, so that no value
 * shown on it can run as code.
 */
public final class DashboardPage implements HttpSurface {

  /** Only this origin's script, style and connections; no inline code, no framing, no form posts. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Buffer page = resource("index.html");
  private final Buffer script = resource("dashboard.js");
  private final Buffer style = resource("dashboard.css");

  @Override
  public void mount(Router router) {
    serve(router, "/ui", "text/html; charset=utf-8", page);
    serve(router, "/ui/dashboard.js", "text/javascript; charset=utf-8", script);
    serve(router, "/ui/dashboard.css", "text/css; charset=utf-8", style);
  }

  @Override
  public String routes() {
    return "GET /ui";
  }

  private static void serve(Router router, String path, String contentType, Buffer body) {
    router.get(path).handler(ctx -> ctx.response().putHeader("content-type", contentType)
        .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("cache-control", "no-cache")
        .end(body));
  }

  /** Read once, when the process is assembled: a few kilobytes that never change while it runs. */
  private static Buffer resource(String name) {
    try (InputStream in = DashboardPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("the dashboard's " + name + " cannot be read", e);
    }
  }
}
