package dev.fnmesh.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.mesh.TopicSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Bytes sent to {@code POST /topics/{topic}} over a socket, from broken requests to no HTTP at all, are
 * answered with a 2xx or a 4xx, or the connection is closed; never a 5xx, never a hang; and the server
 * serves a valid request after each of them. Kafka is a stand-in that acknowledges at once.
 */
class TopicIngressHttpFuzzTest {

  private static final int MAX_BODY = 4096;
  private static final String VALID = "POST /topics/orders HTTP/1.1\r\nHost: localhost\r\nce-specversion: 1.0\r\n"
      + "ce-id: 1\r\nce-source: /s\r\nce-type: t\r\ncontent-type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  private static final List<String> SEEDS = List.of(VALID,
      "POST /topics/orders HTTP/1.1\r\nHost: h\r\ncontent-type: application/cloudevents+json\r\nContent-Length: 60\r\n\r\n"
          + "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}",
      "POST /topics/orders HTTP/1.1\r\nHost: h\r\ncontent-type: application/cloudevents-batch+json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n3d\r\n[{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}]\r\n0\r\n\r\n",
      "GET /topics/orders HTTP/1.0\r\n\r\n");
  private static final List<String> TOKENS = List.of("\r\n", "\n", "\r", " ", ":", "\r\n\r\n", "%", "%zz", "/", "?",
      "#", "HTTP/1.1", "HTTP/2.0", "Content-Length: ", "Content-Length: -1", "Content-Length: 99999999999",
      "Transfer-Encoding: chunked\r\n", "ffffffffffff\r\n", "Expect: 100-continue\r\n", "ce-id: %C3%28\r\n",
      "content-type: application/cloudevents+json\r\n", "Host: \r\n", "/topics/fnmesh.state", "/topics/..", "\u0000",
      "x".repeat(5000));

  private static Vertx vertx;
  private static int port;

  @BeforeContainer
  static void serve() throws Exception {
    vertx = Vertx.vertx();
    DeclaredTopics declared = new DeclaredTopics();
    declared.replace(Map.of("orders", TopicSettings.of(1)));
    Router router = Router.router(vertx);
    new TopicIngress(HttpEventDecoder.create(), acknowledging(EventPublisher.class, "publish"),
        acknowledging(TopicAdmin.class, "ensureTopic"), declared, new IngressSettings(MAX_BODY, true, 10),
        (topic, event) -> Optional.empty()).mount(router);
    // The limits the launcher gives its servers.
    HttpServerOptions limits = new HttpServerOptions().setMaxInitialLineLength(4096).setMaxHeaderSize(8192)
        .setHttp2ClearTextEnabled(false);
    port = vertx.createHttpServer(limits).requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterContainer
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Property(seed = "9101", tries = 200)
  void anyBytesAreAnsweredWithA2xxOrA4xxAndTheServerStillServes(@ForAll("requests") byte[] request) throws IOException {
    String requestLine = new String(request, StandardCharsets.ISO_8859_1).split("\n", 2)[0].strip();
    // Vert.x itself answers 501, before any route runs, a version other than these two as it spells them.
    boolean http1 = requestLine.endsWith(" HTTP/1.1") || requestLine.endsWith(" HTTP/1.0");
    for (String statusLine : statusLines(exchange(request))) {
      int status = Integer.parseInt(statusLine.substring(statusLine.indexOf(' ') + 1, statusLine.indexOf(' ') + 4));
      assertTrue(status >= 200 && status < 300 || status >= 400 && status < 500 || status == 501 && !http1,
          () -> "answered " + statusLine);
    }
    assertEquals(List.of("HTTP/1.1 202 Accepted"), statusLines(exchange(VALID.getBytes(StandardCharsets.ISO_8859_1))));
  }

  /** Sends the bytes on a connection of their own, closes its sending side and reads until the server closes. */
  private static byte[] exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        socket.shutdownOutput();
      } catch (IOException closedEarly) {
        // The server may answer and close before it has read everything, as it does for a too long line.
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        in.transferTo(answer);
      } catch (java.net.SocketException reset) {
        // A reset after the answer is as good as a close.
      }
      return answer.toByteArray();
    }
  }

  /** The status line of every response in the bytes, read one after another by their Content-Length. */
  private static List<String> statusLines(byte[] answer) {
    String text = new String(answer, StandardCharsets.ISO_8859_1);
    List<String> statusLines = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int headersEnd = text.indexOf("\r\n\r\n", at);
      int from = at;
      assertTrue(headersEnd > 0 && text.substring(at, headersEnd).matches("(?s)\\S+ \\d{3} .*"),
          () -> "not an HTTP response: " + text.substring(from));
      String[] head = text.substring(at, headersEnd).split("\r\n");
      statusLines.add(head[0]);
      int length = 0;
      for (String line : head) {
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      at = headersEnd + 4 + length;
    }
    return statusLines;
  }

  @Provide
  Arbitrary<byte[]> requests() {
    Arbitrary<byte[]> mutated = EventInputs.around(SEEDS, TOKENS).map(text -> text.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> lines = Combinators.combine(Arbitraries.of("POST", "GET", "PUT", "OPTIONS", "POST\u0000", "", "P OST"),
        Arbitraries.of("/topics/orders", "/topics/", "/topics/fnmesh.state", "/topics/%zz", "/topics/a%2Fb", "*", "//",
            "/topics/orders?x=%", "/topics/" + "o".repeat(300), "/topics/ord ers"),
        Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9", "", "http/1.1"),
        EventInputs.around(List.of("Host: h\r\nce-specversion: 1.0\r\nce-id: 1\r\nce-source: /s\r\nce-type: t\r\n"),
            TOKENS),
        EventInputs.bytes())
        .as((method, path, version, headers, body) -> {
          byte[] head = (method + " " + path + " " + version + "\r\n" + headers + "Content-Length: " + body.length
              + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
          byte[] request = new byte[head.length + body.length];
          System.arraycopy(head, 0, request, 0, head.length);
          System.arraycopy(body, 0, request, head.length, body.length);
          return request;
        });
    return Arbitraries.frequencyOf(Tuple.of(5, mutated), Tuple.of(4, lines), Tuple.of(1, EventInputs.bytes()));
  }

  /** A stand-in for the Kafka side: the named method succeeds at once, any other is not expected here. */
  private static <T> T acknowledging(Class<T> type, String method) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, called, args) -> {
      if (!called.getName().equals(method)) {
        throw new UnsupportedOperationException(called.getName());
      }
      return Future.succeededFuture();
    }));
  }
}
