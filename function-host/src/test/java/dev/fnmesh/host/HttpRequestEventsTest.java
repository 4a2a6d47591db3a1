package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A plain HTTP request becomes a CloudEvent: the body is the data with its content type, or, without a
 * body, the query parameters are the data as a JSON object. Requests go through a real HTTP server because
 * the wrapping reads an {@code HttpServerRequest}.
 */
@ExtendWith(VertxExtension.class)
class HttpRequestEventsTest {

  /** What the server saw of the one request of a test. */
  private record Seen(boolean cloudEvent, CloudEvent wrapped) {}

  private final Promise<Seen> seen = Promise.promise();
  private WebClient client;
  private int port;

  @BeforeEach
  void startServer(Vertx vertx, VertxTestContext test) {
    client = WebClient.create(vertx);
    vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          seen.tryComplete(new Seen(HttpRequestEvents.isCloudEvent(request),
              HttpRequestEvents.wrap(request, request.params(), body, "greeter")));
          request.response().end();
        }))
        .listen(0)
        .onComplete(test.succeeding(server -> {
          port = server.actualPort();
          test.completeNow();
        }));
  }

  private HttpRequest<Buffer> get(String uri) {
    return client.get(port, "localhost", uri);
  }

  private HttpRequest<Buffer> post(String uri) {
    return client.post(port, "localhost", uri);
  }

  /** Runs the checks on what the server saw once the request was answered. */
  private void expect(Future<?> sent, VertxTestContext test, Consumer<Seen> checks) {
    sent.compose(response -> seen.future())
        .onComplete(test.succeeding(result -> test.verify(() -> {
          checks.accept(result);
          test.completeNow();
        })));
  }

  @Test
  void wrapsTheQueryParametersAsJsonDataWhenThereIsNoBody(VertxTestContext test) {
    expect(get("/functions/greeter?name=Ada%20Lovelace&tag=a&tag=b").send(), test, seen -> {
      CloudEvent event = seen.wrapped();
      assertEquals("application/json", event.getDataContentType());
      assertEquals(new JsonObject().put("name", "Ada Lovelace").put("tag", new JsonArray().add("a").add("b")),
          new JsonObject(Buffer.buffer(event.getData().toBytes())));
      assertEquals("name=Ada%20Lovelace&tag=a&tag=b", event.getExtension("httpquery"));
    });
  }

  @Test
  void describesTheRequestInTheEventsAttributes(VertxTestContext test) {
    expect(get("/functions/greeter").send(), test, seen -> {
      CloudEvent event = seen.wrapped();
      assertEquals(HttpRequestEvents.TYPE, event.getType());
      assertEquals(URI.create("/functions/greeter"), event.getSource());
      assertEquals("GET", event.getExtension("httpmethod"));
      assertFalse(event.getId().isEmpty());
      assertNotNull(event.getTime());
    });
  }

  @Test
  void wrapsARequestWithoutBodyOrQueryAsAnEventWithoutData(VertxTestContext test) {
    expect(get("/functions/greeter").send(), test, seen -> {
      CloudEvent event = seen.wrapped();
      assertNull(event.getData());
      assertNull(event.getDataContentType());
      assertFalse(event.getExtensionNames().contains("httpquery"));
    });
  }

  @Test
  void wrapsTheBodyWithItsContentTypeAndKeepsTheQueryAsAnExtension(VertxTestContext test) {
    byte[] body = "Grüße, Ada".getBytes(StandardCharsets.UTF_8);

    expect(post("/functions/greeter?lang=de").putHeader("content-type", "text/plain; charset=utf-8")
        .sendBuffer(Buffer.buffer(body)), test, seen -> {
          CloudEvent event = seen.wrapped();
          assertEquals("text/plain; charset=utf-8", event.getDataContentType());
          assertArrayEquals(body, event.getData().toBytes());
          assertEquals("lang=de", event.getExtension("httpquery"));
          assertEquals("POST", event.getExtension("httpmethod"));
        });
  }

  @Test
  void wrapsABodyWithoutContentTypeAsOctetStream(VertxTestContext test) {
    byte[] body = {0, 1, (byte) 0xFF};

    expect(post("/functions/greeter").sendBuffer(Buffer.buffer(body)), test, seen -> {
      CloudEvent event = seen.wrapped();
      assertEquals("application/octet-stream", event.getDataContentType());
      assertArrayEquals(body, event.getData().toBytes());
    });
  }

  @Test
  void takesAPlainJsonRequestForNoCloudEvent(VertxTestContext test) {
    expect(post("/functions/greeter").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{\"name\":\"Ada\"}")), test, seen -> assertFalse(seen.cloudEvent()));
  }

  @Test
  void takesARequestWithCeSpecVersionForABinaryCloudEvent(VertxTestContext test) {
    expect(post("/functions/greeter").putHeader("ce-specversion", "1.0").putHeader("ce-id", "1")
        .putHeader("ce-source", "/test").putHeader("ce-type", "t").send(), test, seen -> assertTrue(seen.cloudEvent()));
  }

  @Test
  void takesAStructuredContentTypeForACloudEvent(VertxTestContext test) {
    expect(post("/functions/greeter").putHeader("content-type", "Application/CloudEvents+JSON; charset=utf-8")
        .sendBuffer(Buffer.buffer("{}")), test, seen -> assertTrue(seen.cloudEvent()));
  }
}
