package dev.fnmesh.broker.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fnmesh.mesh.ValueSpec;
import io.vertx.core.MultiMap;

import java.io.IOException;

/** Reads the values a webhook's attributes name from one request; the body is parsed as JSON at most once. */
final class RequestValues {

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** What a value found: a value, or why there is none. */
  sealed interface Lookup {
    record Found(String value) implements Lookup {}

    record NotFound(String reason) implements Lookup {}
  }

  private final MultiMap headers;
  private final byte[] body;
  private JsonNode json;
  private String notJson;

  RequestValues(MultiMap headers, byte[] body) {
    this.headers = headers;
    this.body = body;
  }

  Lookup read(ValueSpec spec) {
    return switch (spec.kind()) {
      case CONSTANT -> new Lookup.Found(spec.prefix() + spec.value());
      case HEADER -> readHeader(spec);
      case POINTER -> readPointer(spec);
    };
  }

  /** How a value reads in a message, e.g. {@code header X-GitHub-Event}. */
  static String describe(ValueSpec spec) {
    return switch (spec.kind()) {
      case CONSTANT -> "constant '" + spec.value() + "'";
      case HEADER -> "header " + spec.value();
      case POINTER -> "pointer " + spec.value();
    };
  }

  private Lookup readHeader(ValueSpec header) {
    String value = headers.get(header.value());
    if (value == null) {
      return new Lookup.NotFound(describe(header) + " is missing");
    }
    return value.isBlank()
        ? new Lookup.NotFound(describe(header) + " is empty")
        : new Lookup.Found(header.prefix() + value.strip());
  }

  private Lookup readPointer(ValueSpec pointer) {
    if (json == null && notJson == null) {
      parse();
    }
    if (notJson != null) {
      return new Lookup.NotFound(describe(pointer) + " needs a JSON body, but " + notJson);
    }
    JsonNode node = json.at(JsonPointer.compile(pointer.value()));
    if (node.isMissingNode() || node.isNull()) {
      return new Lookup.NotFound(describe(pointer) + " finds nothing in the body");
    }
    if (node.isContainerNode()) {
      return new Lookup.NotFound(describe(pointer) + " finds a JSON " + (node.isObject() ? "object" : "array")
          + ", expected a string, number or boolean");
    }
    String text = node.asText();
    return text.isEmpty()
        ? new Lookup.NotFound(describe(pointer) + " finds an empty string")
        : new Lookup.Found(pointer.prefix() + text);
  }

  private void parse() {
    if (body.length == 0) {
      notJson = "the body is empty";
      return;
    }
    try {
      JsonNode parsed = JSON.readTree(body);
      if (parsed == null || parsed.isMissingNode()) {
        notJson = "the body holds no JSON value";
      } else {
        json = parsed;
      }
    } catch (IOException e) {
      notJson = "the body is not JSON: "
          + (e instanceof JsonProcessingException parsing ? parsing.getOriginalMessage() : e.getMessage());
    }
  }
}
