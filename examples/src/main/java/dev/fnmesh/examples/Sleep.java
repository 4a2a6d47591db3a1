package dev.fnmesh.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.IOException;

/**
 * Waits {@code data.ms} milliseconds (or the {@code ms} of its configuration, default 100) on a timer,
 * never blocking its thread, then echoes the event. A stand-in for a function that calls something slow.
 */
public final class Sleep implements Function {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "sleep";
  }

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    long ms = requestedMillis(event, context);
    if (ms <= 0) {
      return Future.succeededFuture(event);
    }
    Promise<CloudEvent> done = Promise.promise();
    context.vertx().setTimer(ms, id -> done.complete(event));
    return done.future();
  }

  private static long requestedMillis(CloudEvent event, FunctionContext context) {
    if (event.getData() != null) {
      try {
        JsonNode ms = JSON.readTree(event.getData().toBytes()).get("ms");
        if (ms != null && ms.canConvertToLong()) {
          return ms.asLong();
        }
      } catch (IOException e) {
        // Not JSON: fall back to the configured default.
      }
    }
    Object configured = context.config().get("ms");
    return configured instanceof Number number ? number.longValue() : 100;
  }
}
