package dev.fnmesh.bench;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The events every benchmark sends: small JSON CloudEvents whose data is padded to a fixed size, in the
 * shapes the benchmarks need (an event for the Kafka binding, HTTP binary-mode headers, a batch body).
 */
final class BenchEvents {

  static final URI SOURCE = URI.create("/fnmesh/bench");
  static final String TYPE = "dev.fnmesh.bench.ping";
  static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";

  private final byte[] data;

  /** @param dataBytes the size of each event's JSON data; at least 32 so that the JSON object fits */
  BenchEvents(int dataBytes) {
    if (dataBytes < 32) {
      throw new IllegalArgumentException("--data-bytes must be at least 32, got " + dataBytes);
    }
    this.data = paddedJson(dataBytes);
  }

  int dataBytes() {
    return data.length;
  }

  CloudEvent event(String id) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(SOURCE)
        .withType(TYPE)
        .withDataContentType("application/json")
        .withData(data)
        .build();
  }

  /** The headers of one binary-mode HTTP request carrying the event {@code id}; the body is {@link #data()}. */
  MultiMap binaryHeaders(String id) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("ce-specversion", "1.0")
        .add("ce-id", id)
        .add("ce-source", SOURCE.toString())
        .add("ce-type", TYPE)
        .add("content-type", "application/json");
  }

  Buffer data() {
    return Buffer.buffer(data);
  }

  /** An {@code application/cloudevents-batch+json} body: a JSON array of {@code size} structured events. */
  Buffer batch(String idPrefix, int size) {
    EventFormat json = new JsonFormat();
    Buffer body = Buffer.buffer().appendString("[");
    for (int i = 0; i < size; i++) {
      body.appendString(i == 0 ? "" : ",").appendBytes(json.serialize(event(idPrefix + i)));
    }
    return body.appendString("]");
  }

  private static byte[] paddedJson(int size) {
    String prefix = "{\"message\":\"ping\",\"padding\":\"";
    String suffix = "\"}";
    char[] padding = new char[size - prefix.length() - suffix.length()];
    Arrays.fill(padding, 'x');
    return (prefix + new String(padding) + suffix).getBytes(StandardCharsets.UTF_8);
  }
}
