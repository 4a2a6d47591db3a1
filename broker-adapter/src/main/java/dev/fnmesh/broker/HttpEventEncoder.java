package dev.fnmesh.broker;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes a CloudEvent as HTTP binary-mode headers and body, or events as a JSON batch, percent-encoding header values as the HTTP
 * binding requires (§3.1.3.2), which the SDK's Vert.x writer does not do.
 */
public final class HttpEventEncoder {

  private static final JsonFormat JSON = new JsonFormat();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private HttpEventEncoder() {}

  /** Adds the event's {@code ce-*} headers and its {@code content-type} to {@code headers}. */
  public static void writeHeaders(CloudEvent event, MultiMap headers) {
    headers.set("ce-specversion", event.getSpecVersion().toString());
    headers.set("ce-id", encode(event.getId()));
    headers.set("ce-source", encode(event.getSource().toString()));
    headers.set("ce-type", encode(event.getType()));
    if (event.getSubject() != null) {
      headers.set("ce-subject", encode(event.getSubject()));
    }
    if (event.getTime() != null) {
      headers.set("ce-time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.getTime()));
    }
    if (event.getDataSchema() != null) {
      headers.set("ce-dataschema", encode(event.getDataSchema().toString()));
    }
    if (event.getDataContentType() != null) {
      headers.set("content-type", event.getDataContentType());
    }
    for (String name : event.getExtensionNames()) {
      headers.set("ce-" + name, encode(String.valueOf(event.getExtension(name))));
    }
  }

  /** The event's data as the HTTP body; empty when it has none. */
  public static Buffer body(CloudEvent event) {
    return event.getData() == null ? Buffer.buffer() : Buffer.buffer(event.getData().toBytes());
  }

  /**
   * The events as a CloudEvents JSON batch (JSON format §4), the body of an
   * {@link HttpEventDecoder#BATCH_JSON} message (HTTP binding §3.3).
   */
  public static Buffer batchBody(List<CloudEvent> events) {
    Buffer batch = Buffer.buffer().appendByte((byte) '[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        batch.appendByte((byte) ',');
      }
      batch.appendBytes(JSON.serialize(events.get(i)));
    }
    return batch.appendByte((byte) ']');
  }

  // Space, double quote, percent and everything outside printable ASCII are percent-encoded as UTF-8.
  static String encode(String value) {
    StringBuilder encoded = null;
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = b > 0x20 && b < 0x7f && b != '"' && b != '%';
      if (plain && encoded == null) {
        continue;
      }
      if (encoded == null) {
        encoded = new StringBuilder(bytes.length + 16).append(new String(bytes, 0, i, StandardCharsets.UTF_8));
      }
      if (plain) {
        encoded.append((char) b);
      } else {
        encoded.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    return encoded == null ? value : encoded.toString();
  }
}
