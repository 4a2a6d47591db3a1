package dev.fnmesh.host;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns a plain HTTP request into a CloudEvent of type {@value #TYPE}: the body becomes the data with its
 * content type; a request without a body carries its query parameters as a JSON object instead. The
 * method and the raw query are kept in the {@code httpmethod} and {@code httpquery} extensions.
 */
public final class HttpRequestEvents {

  public static final String TYPE = "dev.fnmesh.http.request";

  private HttpRequestEvents() {}

  /** Whether the request already is a CloudEvent in binary or structured mode. */
  public static boolean isCloudEvent(HttpServerRequest request) {
    String contentType = request.getHeader("content-type");
    return request.headers().contains("ce-specversion")
        || (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents"));
  }

  /**
   * @param query the request's query parameters only (not the route's path parameters)
   */
  public static CloudEvent wrap(HttpServerRequest request, MultiMap query, Buffer body, String functionName) {
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("/functions/" + functionName))
        .withType(TYPE)
        .withTime(OffsetDateTime.now(ZoneOffset.UTC))
        .withExtension("httpmethod", request.method().name());
    if (request.query() != null && !request.query().isEmpty()) {
      builder.withExtension("httpquery", request.query());
    }
    if (body.length() > 0) {
      String contentType = request.getHeader("content-type");
      builder.withData(contentType == null ? "application/octet-stream" : contentType, body.getBytes());
    } else if (!query.isEmpty()) {
      builder.withData("application/json", queryAsJson(query).toBuffer().getBytes());
    }
    return builder.build();
  }

  private static JsonObject queryAsJson(MultiMap params) {
    JsonObject json = new JsonObject();
    for (String name : params.names()) {
      List<String> values = params.getAll(name);
      json.put(name, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    return json;
  }
}
