package functions;

import dev.fnmesh.function.Function;
import dev.fnmesh.function.FunctionContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** __NAME__: answers each event with what came in and its type. Change apply() to make it yours. */
public final class __CLASS__ implements Function {

  @Override
  public String name() {
    return "__NAME__";
  }

  @Override
  public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
    String data = event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    JsonObject reply = new JsonObject().put("function", name()).put("type", event.getType()).put("received", data);
    return Future.succeededFuture(CloudEventBuilder.v1().withId(UUID.randomUUID().toString())
        .withSource(URI.create("/functions/" + name())).withType(name() + ".reply")
        .withData("application/json", reply.toBuffer().getBytes()).build());
  }
}
