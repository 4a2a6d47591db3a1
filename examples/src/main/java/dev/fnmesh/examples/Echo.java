package dev.fnmesh.examples;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

/** Replies with the event it received, unchanged: every attribute, extension and byte of data. */
public final class Echo implements Function {

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    return Future.succeededFuture(event);
  }
}
