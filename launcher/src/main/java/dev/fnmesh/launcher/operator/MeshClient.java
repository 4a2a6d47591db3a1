package dev.fnmesh.launcher.operator;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP API of a running mesh, as the operator commands call it: one request at a time, waiting for its
 * answer, which is what a command-line tool does. A refusal becomes an {@link OperatorException} with the
 * server's own message.
 */
final class MeshClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  MeshClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A request to {@code path} of the mesh, with the token when there is one. */
  HttpRequest.Builder request(String path) {
    String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
        : base.toString();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + path)).timeout(TIMEOUT);
    return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token);
  }

  /**
   * @return the answer when its status is 2xx
   * @throws OperatorException with the server's message otherwise, or when the mesh cannot be reached
   */
  HttpResponse<String> send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OperatorException("cannot reach the mesh at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new OperatorException(response.statusCode() + " " + message(response.body()), null);
    }
    return response;
  }

  /** GET of a JSON answer. */
  JsonObject getJson(String path) {
    return new JsonObject(send(request(path).GET().build()).body());
  }

  /** The {@code message} of a JSON problem, else the body itself. */
  private static String message(String body) {
    try {
      JsonObject problem = new JsonObject(body);
      String field = problem.getString("field");
      return (field == null || field.isEmpty() ? "" : field + ": ") + problem.getString("message", body);
    } catch (DecodeException | ClassCastException e) {
      return body.strip();
    }
  }
}
