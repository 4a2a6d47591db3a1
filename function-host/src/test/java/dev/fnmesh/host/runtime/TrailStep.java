package dev.fnmesh.host.runtime;

import dev.fnmesh.function.FanOutFunction;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.PermanentFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * A step of a test sequence, found by its class name: answers {@code copies} events (config, default 1), each
 * the event with its {@code mark} (config) added to its {@code trail} extension and {@code -<n>} to its id;
 * fails for good on an event of type {@code poison}.
 */
public final class TrailStep implements FanOutFunction {

  @Override
  public Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
    String mark = String.valueOf(context.config().get("mark"));
    if (event.getType().equals("poison")) {
      return Future.failedFuture(new PermanentFailure("step " + mark + " refuses " + event.getId()));
    }
    int copies = Integer.parseInt(String.valueOf(context.config().getOrDefault("copies", 1)));
    Object trail = event.getExtension("trail");
    List<CloudEvent> replies = new ArrayList<>(copies);
    for (int i = 0; i < copies; i++) {
      replies.add(CloudEventBuilder.v1(event).withId(copies == 1 ? event.getId() : event.getId() + "-" + i)
          .withExtension("trail", (trail == null ? "" : trail + ",") + mark).build());
    }
    return Future.succeededFuture(replies);
  }
}
