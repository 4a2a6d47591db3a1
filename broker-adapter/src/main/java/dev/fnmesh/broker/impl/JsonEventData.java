package dev.fnmesh.broker.impl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fnmesh.broker.EventProblem;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.jackson.JsonCloudEventData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * An event's data read as JSON so that a schema can check it, or why it cannot be: no data, a non-JSON
 * {@code datacontenttype}, or bytes that do not parse. Exactly one of the two is set.
 *
 * @param node the data as a JSON tree
 * @param problem a 400 at field {@code data} saying what is wrong with the data
 */
public record JsonEventData(JsonNode node, EventProblem problem) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Reads the data of an event.
   *
   * @param schemaName named in the problem, so the sender learns why JSON was needed
   */
  public static JsonEventData read(CloudEvent event, String schemaName) {
    String contentType = event.getDataContentType();
    // CloudEvents JSON format: an absent datacontenttype means application/json.
    if (contentType != null && !isJson(contentType)) {
      return problem("data must be JSON to be checked against schema " + schemaName
          + ", but datacontenttype is '" + contentType + "'; expected application/json or a +json type");
    }
    CloudEventData data = event.getData();
    if (data instanceof JsonCloudEventData json) {
      // A structured event's data is already a tree: no second parse.
      return new JsonEventData(json.getNode(), null);
    }
    byte[] bytes = data == null ? new byte[0] : data.toBytes();
    try {
      JsonNode node = parse(bytes);
      if (node == null) {
        return problem("data is missing: schema " + schemaName + " requires JSON data");
      }
      return new JsonEventData(node, null);
    } catch (JsonProcessingException e) {
      return problem("data is not valid JSON, which schema " + schemaName + " requires: " + describe(e));
    }
  }

  /**
   * Parses one JSON value.
   *
   * @return the value, or null when the bytes hold nothing but white space
   * @throws JsonProcessingException when they are no JSON, or hold more than one value
   */
  static JsonNode parse(byte[] bytes) throws JsonProcessingException {
    try (JsonParser parser = MAPPER.createParser(bytes)) {
      JsonNode node = MAPPER.readTree(parser);
      if (node != null && parser.nextToken() != null) {
        throw new JsonParseException(parser, "unexpected content after the JSON value",
            parser.currentTokenLocation());
      }
      return node;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      // Reading a byte array does no I/O; Jackson declares it anyway.
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a media type is JSON: {@code application/json}, {@code text/json} or any {@code +json} suffix. */
  static boolean isJson(String mediaType) {
    String type = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    int slash = type.indexOf('/');
    String subtype = slash < 0 ? "" : type.substring(slash + 1);
    return subtype.equals("json") || subtype.endsWith("+json");
  }

  /** A parse error without Jackson's source dump: what was wrong and where. */
  static String describe(JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    return where == null ? e.getOriginalMessage()
        : e.getOriginalMessage() + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }

  private static JsonEventData problem(String message) {
    return new JsonEventData(null, EventProblem.badRequest("data", message));
  }
}
