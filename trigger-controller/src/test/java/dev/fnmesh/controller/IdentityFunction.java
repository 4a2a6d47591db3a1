package dev.fnmesh.controller;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.vertx.core.Future;

/** Answers every event with itself; found by its class name when a test's mesh is planned. */
public final class IdentityFunction implements Function {

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    return Future.succeededFuture(event);
  }
}
