package dev.fnmesh.bench;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.ItemResult;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;

/**
 * A function whose cost is per call, not per event, as a database write or a request upstream is: it waits its
 * configured {@code ms} on a timer once per call, then answers each event with itself.
 */
public final class PerCallDelay implements Function {

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    return delayed(context).map(v -> event);
  }

  @Override
  public Future<List<ItemResult>> applyBatch(List<CloudEvent> events, FunctionContext context) {
    return delayed(context).map(v -> events.stream().map(event -> ItemResult.replied(event, event)).toList());
  }

  private static Future<Void> delayed(FunctionContext context) {
    long ms = Long.parseLong(String.valueOf(context.config().getOrDefault("ms", "5")));
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> waited = Promise.promise();
    context.vertx().setTimer(ms, id -> waited.complete());
    return waited.future();
  }
}
