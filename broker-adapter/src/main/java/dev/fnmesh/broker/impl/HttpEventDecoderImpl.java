package dev.fnmesh.broker.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fnmesh.broker.DecodedEvents;
import dev.fnmesh.broker.EventProblem;
import dev.fnmesh.broker.HttpEventDecoder;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.vertx.VertxMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Decodes the three HTTP modes; attribute rules are checked first so refusals name the attribute. */
public final class HttpEventDecoderImpl implements HttpEventDecoder {

  private static final String CE_PREFIX = "ce-";
  private static final String EVENT_FORMATS = "application/cloudevents";
  private final ObjectMapper mapper = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
  private final StructuredEventRules structuredRules = new StructuredEventRules();

  @Override
  public DecodedEvents decode(MultiMap headers, Buffer body) {
    String contentType = headers.get("content-type");
    // HTTP binding §3: the content type decides first; a structured request may also carry ce-* headers.
    if (contentType != null && contentType.trim().regionMatches(true, 0, EVENT_FORMATS, 0, EVENT_FORMATS.length())) {
      String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (mediaType.equals(STRUCTURED_JSON)) {
        return structured(body);
      }
      if (mediaType.equals(BATCH_JSON)) {
        return batch(body);
      }
      if (mediaType.startsWith(EVENT_FORMATS)) {
        return refused(EventProblem.unsupportedMediaType("content-type", "event format '" + mediaType
            + "' is not supported; use " + STRUCTURED_JSON + " or " + BATCH_JSON));
      }
    }
    if (hasCloudEventHeader(headers)) {
      return binary(headers, body);
    }
    return refused(EventProblem.unsupportedMediaType("content-type", "a request with content type '"
        + (contentType == null ? "(none)" : contentType) + "' and no ce-* headers is not a CloudEvent; send"
        + " binary mode (ce-specversion, ce-id, ce-source, ce-type headers), " + STRUCTURED_JSON
        + " or " + BATCH_JSON));
  }

  private DecodedEvents binary(MultiMap rawHeaders, Buffer body) {
    CloudEvent common = BinaryRequests.decode(rawHeaders, body);
    if (common != null) {
      return new DecodedEvents.Accepted(List.of(common));
    }
    Map<String, String> attributes = new HashMap<>();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : rawHeaders) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(CE_PREFIX)) {
        headers.add(header.getKey(), header.getValue());
        continue;
      }
      // HTTP binding §3.1.3.2: ce-* values are percent-encoded; the SDK leaves them as they are.
      String attribute = name.substring(CE_PREFIX.length());
      String value;
      try {
        value = PercentDecoding.decode(header.getValue());
      } catch (IllegalArgumentException e) {
        return refused(EventProblem.badRequest(attribute, "header " + header.getKey() + ": " + e.getMessage()));
      }
      attributes.put(attribute, value);
      headers.add(header.getKey(), value);
    }
    if (headers.contains("content-type")) {
      attributes.put("datacontenttype", headers.get("content-type"));
    }
    Optional<EventProblem> problem = AttributeRules.check(attributes);
    if (problem.isPresent()) {
      return refused(problem.get());
    }
    try {
      return new DecodedEvents.Accepted(List.of(VertxMessageFactory.createReader(headers, body).toEvent()));
    } catch (CloudEventRWException e) {
      return refused(EventProblem.badRequest("headers", "not a valid binary-mode CloudEvent: " + e.getMessage()));
    }
  }

  private DecodedEvents structured(Buffer body) {
    return withJson(body, json -> {
      Optional<EventProblem> problem = structuredRules.check(json);
      return problem.isPresent() ? refused(problem.get()) : toEvents(List.of(json), false);
    });
  }

  private DecodedEvents batch(Buffer body) {
    return withJson(body, json -> {
      if (!json.isArray()) {
        return refused(EventProblem.badRequest("body", "a " + BATCH_JSON
            + " body must be a JSON array of structured events, got a JSON " + json.getNodeType()));
      }
      List<JsonNode> elements = new ArrayList<>();
      json.forEach(elements::add);
      for (int i = 0; i < elements.size(); i++) {
        Optional<EventProblem> problem = structuredRules.check(elements.get(i));
        if (problem.isPresent()) {
          return refused(problem.get().inBatchElement(i));
        }
      }
      return toEvents(elements, true);
    });
  }

  private DecodedEvents toEvents(List<JsonNode> nodes, boolean batch) {
    List<CloudEvent> events = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      try {
        CloudEvent common = StructuredEvents.fromTree(nodes.get(i));
        events.add(common != null ? common : mapper.treeToValue(withoutNulls(nodes.get(i)), CloudEvent.class));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        EventProblem problem = EventProblem.badRequest("body", "not a valid structured CloudEvent: " + e.getMessage());
        return refused(batch ? problem.inBatchElement(i) : problem);
      }
    }
    return new DecodedEvents.Accepted(events);
  }

  private DecodedEvents withJson(Buffer body, Function<JsonNode, DecodedEvents> then) {
    JsonNode json;
    try {
      json = mapper.readTree(body.getBytes());
    } catch (IOException e) {
      String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
      return refused(EventProblem.badRequest("body", "malformed JSON: " + reason));
    }
    if (json == null || json.isMissingNode()) {
      return refused(EventProblem.badRequest("body", "the body is empty; a JSON CloudEvent was expected"));
    }
    return then.apply(json);
  }

  // The JSON event format reads a null attribute as an absent one; the SDK refuses nulls, so drop them. Only an
  // event that has one is copied: a batch's events mostly have none.
  private static JsonNode withoutNulls(JsonNode event) {
    if (!event.isObject()) {
      return event;
    }
    List<String> nulls = null;
    for (Iterator<Map.Entry<String, JsonNode>> fields = event.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        nulls = nulls == null ? new ArrayList<>() : nulls;
        nulls.add(field.getKey());
      }
    }
    return nulls == null ? event : ((ObjectNode) event).deepCopy().remove(nulls);
  }

  private static boolean hasCloudEventHeader(MultiMap headers) {
    // The entries, not names(): that builds a set of every name for each request.
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().regionMatches(true, 0, CE_PREFIX, 0, CE_PREFIX.length())) {
        return true;
      }
    }
    return false;
  }

  private static DecodedEvents refused(EventProblem problem) {
    return new DecodedEvents.Refused(problem);
  }
}
