package dev.fnmesh.host.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's files: served with a policy that runs no code but its own, and a script that writes only text. */
class DashboardPageTest {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void thePageItsScriptAndStyleAreServedUnderAStrictContentSecurityPolicy() throws Exception {
    Router router = Router.router(vertx);
    new DashboardPage().mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    for (List<String> file : List.of(List.of("/ui", "text/html"), List.of("/ui/dashboard.js", "text/javascript"),
        List.of("/ui/dashboard.css", "text/css"))) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.actualPort() + file.get(0))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), file.get(0));
      assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith(file.get(1)), file.get(0));
      String policy = response.headers().firstValue("content-security-policy").orElseThrow();
      assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self';"), policy);
      assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
      assertEquals("nosniff", response.headers().firstValue("x-content-type-options").orElseThrow());
    }
  }

  @Test
  void thePageHoldsNoInlineCodeAndTheScriptPutsDataIntoThePageOnlyAsText() throws IOException {
    String page = resource("index.html");
    String script = resource("dashboard.js");

    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)", Pattern.CASE_INSENSITIVE).matcher(page).find(),
        "an inline script would need the policy to allow it");
    assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page).find(), "an inline handler");
    assertFalse(Pattern.compile("\\sstyle=", Pattern.CASE_INSENSITIVE).matcher(page).find(), "an inline style");
    for (String markupSink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
        "new Function")) {
      assertFalse(script.contains(markupSink), "the script uses " + markupSink);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardPage.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
