package com.acme;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.PermanentFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Fits image dimensions into a square: {@code {"width":1600,"height":900,"max":400}} answers
 * {@code {"width":400,"height":225}}. The aspect ratio is kept and an image that already fits is left as it
 * is. Built as its own jar against the function API only; JSON goes through Vert.x's {@link JsonObject},
 * which the host provides.
 */
public final class Resize implements Function {

  public static final String TYPE = "dev.fnmesh.examples.resized";

  @Override
  public String name() {
    return "resize";
  }

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    JsonObject request = request(event);
    long width = positive(request, "width");
    long height = positive(request, "height");
    long max = positive(request, "max");
    double scale = Math.min(1.0, (double) max / Math.max(width, height));
    JsonObject size = new JsonObject()
        .put("width", Math.max(1, Math.round(width * scale)))
        .put("height", Math.max(1, Math.round(height * scale)));
    return Future.succeededFuture(CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("/functions/" + context.functionName()))
        .withType(TYPE)
        .withSubject(event.getId())
        .withData("application/json", size.encode().getBytes(StandardCharsets.UTF_8))
        .build());
  }

  // Bad input never gets better on a retry: it fails permanently and goes to the dead-letter topic.
  private static JsonObject request(CloudEvent event) {
    if (event.getData() == null) {
      throw new PermanentFailure("data: must be a JSON object such as {\"width\":1600,\"height\":900,\"max\":400},"
          + " got no data");
    }
    try {
      return new JsonObject(Buffer.buffer(event.getData().toBytes()));
    } catch (DecodeException | ClassCastException e) {
      throw new PermanentFailure("data: must be a JSON object such as {\"width\":1600,\"height\":900,\"max\":400},"
          + " got " + new String(event.getData().toBytes(), StandardCharsets.UTF_8));
    }
  }

  private static long positive(JsonObject request, String field) {
    Object value = request.getValue(field);
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
        && number.longValue() > 0) {
      return number.longValue();
    }
    throw new PermanentFailure("data." + field + ": must be a positive integer, got " + value);
  }
}
