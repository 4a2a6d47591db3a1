package dev.fnmesh.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.function.FanOutFunction;
import dev.fnmesh.function.FunctionContext;
import dev.fnmesh.function.PermanentFailure;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A fan-out function: answers an event whose JSON data has an {@code items} array with one event per item
 * (type {@code dev.fnmesh.examples.item}, the item as data) and one summary (type
 * {@code dev.fnmesh.examples.summary}, extension {@code items} = how many; none with config {@code summary: false}),
 * no reply for an empty array.
 */
public final class Split implements FanOutFunction {

  public static final String ITEM_TYPE = "dev.fnmesh.examples.item";
  public static final String SUMMARY_TYPE = "dev.fnmesh.examples.summary";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "split";
  }

  @Override
  public Future<List<CloudEvent>> applyAll(CloudEvent event, FunctionContext context) {
    JsonNode items;
    try {
      items = event.getData() == null ? null : JSON.readTree(event.getData().toBytes()).get("items");
    } catch (IOException e) {
      items = null;
    }
    if (items == null || !items.isArray()) {
      return Future.failedFuture(new PermanentFailure("event id=" + event.getId()
          + " has no JSON data with an items array to split"));
    }
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    URI source = URI.create("/functions/" + context.functionName());
    List<CloudEvent> replies = new ArrayList<>(items.size() + 1);
    for (int i = 0; i < items.size(); i++) {
      replies.add(CloudEventBuilder.v1().withId(event.getId() + "-" + i).withSource(source).withType(ITEM_TYPE)
          .withSubject(event.getId()).withData("application/json", items.get(i).toString().getBytes(StandardCharsets.UTF_8)).build());
    }
    if (Boolean.FALSE.equals(context.config().get("summary"))) {
      return Future.succeededFuture(replies);
    }
    replies.add(CloudEventBuilder.v1().withId(event.getId() + "-summary").withSource(source).withType(SUMMARY_TYPE)
        .withSubject(event.getId()).withExtension("items", items.size()).build());
    return Future.succeededFuture(replies);
  }
}
