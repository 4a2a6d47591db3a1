package dev.fnmesh.examples;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

/** Always fails: a stand-in for a broken function, to watch failures being handled. */
public final class Fail implements Function {

  @Override
  public String name() {
    return "fail";
  }

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    return Future.failedFuture(new IllegalStateException("the fail function fails every event (id " + event.getId() + ")"));
  }
}
