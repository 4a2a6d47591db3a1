package dev.fnmesh.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The classic first function: answers {@code Hello Serverless World!}, or {@code <name>, Hello Serverless
 * World!} when the event's JSON data has a {@code name} or the HTTP query has a {@code name} parameter.
 */
public final class Greeter implements Function {

  public static final String GREETING = "Hello Serverless World!";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "greeter";
  }

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    String name = nameOf(event);
    String text = name == null || name.isBlank() ? GREETING : name + ", " + GREETING;
    return Future.succeededFuture(CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("/functions/" + context.functionName()))
        .withType("dev.fnmesh.examples.greeting")
        .withSubject(event.getId())
        .withData("text/plain", text.getBytes(StandardCharsets.UTF_8))
        .build());
  }

  private static String nameOf(CloudEvent event) {
    if (event.getData() != null && isJson(event.getDataContentType())) {
      try {
        JsonNode name = JSON.readTree(event.getData().toBytes()).get("name");
        if (name != null && name.isTextual()) {
          return name.asText();
        }
      } catch (IOException e) {
        // Data that is not JSON carries no name; the query may still have one.
      }
    }
    Object query = event.getExtension("httpquery");
    return query == null ? null : queryParameter(query.toString(), "name");
  }

  private static boolean isJson(String contentType) {
    return contentType != null && (contentType.startsWith("application/json") || contentType.contains("+json"));
  }

  private static String queryParameter(String query, String wanted) {
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      if (key.equals(wanted)) {
        return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
