package dev.fnmesh.host.impl.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.function.ItemResult;
import dev.fnmesh.function.ItemResult.Status;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a function's 2xx answer to a batch: an empty body (every event succeeded, no reply), AWS Lambda's
 * {@code {"batchItemFailures": [{"itemIdentifier": "<id>"}]}} (those events failed, the others succeeded
 * without a reply) or a JSON array of per-event results
 * {@code [{"id": "<id>", "status": "reply|none|failed|permanent", "replies": [<structured CloudEvent>...],
 * "error": "..."}]}. An answer that is none of these, or names an event not in the batch, fails the batch as
 * a whole, as Lambda does; an event the array leaves out counts as failed.
 */
final class BatchReplies {

  static final String CONTENT_TYPE = "application/cloudevents-batch+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Status> STATUSES = Arrays.stream(Status.values())
      .collect(Collectors.toMap(Status::wireName, status -> status));

  private final String functionName;
  private final String url;
  private final JsonFormat format = new JsonFormat();

  BatchReplies(String functionName, String url) {
    this.functionName = functionName;
    this.url = url;
  }

  /** CloudEvents JSON batch format §4: a JSON array of events in structured JSON form. */
  Buffer body(List<CloudEvent> events) {
    Buffer body = Buffer.buffer().appendByte((byte) '[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        body.appendByte((byte) ',');
      }
      body.appendBytes(format.serialize(events.get(i)));
    }
    return body.appendByte((byte) ']');
  }

  /**
   * @return one result per event of the batch
   * @throws IllegalStateException naming what is wrong with an answer that is none of the three forms
   */
  List<ItemResult> results(List<CloudEvent> events, HttpResponse<Buffer> response) {
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    if (body.length() == 0 || body.toString(StandardCharsets.UTF_8).isBlank()) {
      return events.stream().map(ItemResult::noReply).toList();
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      throw invalid(events, "it is no JSON" + HttpReplies.snippet(body));
    }
    if (answer.isObject() && answer.has("batchItemFailures")) {
      return failures(events, answer.get("batchItemFailures"));
    }
    if (answer.isArray()) {
      return items(events, answer);
    }
    throw invalid(events, "expected an empty body, {\"batchItemFailures\": [...]} or an array of results"
        + HttpReplies.snippet(body));
  }

  private List<ItemResult> failures(List<CloudEvent> events, JsonNode failures) {
    if (!failures.isArray()) {
      throw invalid(events, "batchItemFailures must be an array");
    }
    Set<String> ids = ids(events).keySet();
    Map<String, Boolean> failed = new HashMap<>();
    for (JsonNode failure : failures) {
      JsonNode id = failure.path("itemIdentifier");
      if (!id.isTextual() || !ids.contains(id.asText())) {
        throw invalid(events, "batchItemFailures names " + (id.isMissingNode() ? "no itemIdentifier" : id)
            + ", not the id of an event of the batch");
      }
      failed.put(id.asText(), true);
    }
    return events.stream().map(event -> failed.containsKey(event.getId())
        ? ItemResult.failed(event, "function '" + functionName + "' at " + url + " listed event id=" + event.getId()
            + " in batchItemFailures")
        : ItemResult.noReply(event)).toList();
  }

  private List<ItemResult> items(List<CloudEvent> events, JsonNode answer) {
    Map<String, CloudEvent> ids = ids(events);
    Map<String, ItemResult> results = new HashMap<>();
    for (int i = 0; i < answer.size(); i++) {
      JsonNode item = answer.get(i);
      String at = "result [" + i + "]";
      JsonNode id = item.path("id");
      if (!id.isTextual() || !ids.containsKey(id.asText())) {
        throw invalid(events, at + " has id " + (id.isMissingNode() ? "missing" : id.toString())
            + ", not the id of an event of the batch");
      }
      Status status = STATUSES.get(item.path("status").asText(""));
      if (status == null) {
        throw invalid(events, at + " has status " + item.path("status") + "; expected reply, none, failed or permanent");
      }
      results.put(id.asText(), item(events, at, ids.get(id.asText()), status, item));
    }
    List<ItemResult> all = new ArrayList<>(events.size());
    for (CloudEvent event : events) {
      ItemResult result = results.get(event.getId());
      all.add(result != null ? result : ItemResult.failed(event, "function '" + functionName + "' at " + url
          + " answered no result for event id=" + event.getId()));
    }
    return all;
  }

  private ItemResult item(List<CloudEvent> events, String at, CloudEvent event, Status status, JsonNode item) {
    return switch (status) {
      case NONE -> ItemResult.noReply(event);
      case FAILED, PERMANENT -> {
        String error = item.path("error").isTextual() ? item.path("error").asText()
            : "function '" + functionName + "' at " + url + " answered " + status.wireName() + " for event id="
                + event.getId();
        yield status == Status.FAILED ? ItemResult.failed(event, error) : ItemResult.permanent(event, error);
      }
      case REPLY -> {
        JsonNode replies = item.path("replies");
        if (!replies.isArray() || replies.isEmpty()) {
          throw invalid(events, at + " has status reply but no replies array of CloudEvents");
        }
        List<CloudEvent> decoded = new ArrayList<>(replies.size());
        for (int r = 0; r < replies.size(); r++) {
          try {
            decoded.add(format.deserialize(JSON.writeValueAsBytes(replies.get(r))));
          } catch (IOException | RuntimeException e) {
            throw invalid(events, at + ".replies[" + r + "] is no structured CloudEvent: " + e.getMessage());
          }
        }
        yield ItemResult.replied(event, decoded);
      }
    };
  }

  private static Map<String, CloudEvent> ids(List<CloudEvent> events) {
    Map<String, CloudEvent> ids = new HashMap<>();
    events.forEach(event -> ids.put(event.getId(), event));
    return ids;
  }

  private IllegalStateException invalid(List<CloudEvent> events, String problem) {
    return new IllegalStateException("function '" + functionName + "' at " + url + " answered " + describe(events)
        + " with an invalid batch answer: " + problem);
  }

  /** The batch as messages name it: its size and first and last event ids. */
  static String describe(List<CloudEvent> events) {
    return events.size() == 1 ? "event id=" + events.get(0).getId() : "a batch of " + events.size()
        + " events (ids " + events.get(0).getId() + " to " + events.get(events.size() - 1).getId() + ")";
  }
}
