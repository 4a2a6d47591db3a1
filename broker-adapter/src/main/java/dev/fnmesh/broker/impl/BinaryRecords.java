package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.provider.CloudEventValidatorProvider;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.types.Time;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The common case of the Kafka binding on the hot path, without the SDK's generic reader: a binary-mode
 * CloudEvents 1.0 record whose attributes are all well formed, read in one pass over its headers; and
 * such a record's event written on unchanged, its headers and value passed as they are. Everything else
 * (structured mode, other spec versions, anything malformed) is left to the SDK, so that what is accepted
 * and how a bad record is refused stay exactly the SDK's.
 */
final class BinaryRecords {

  private static final String PREFIX = "ce_";
  private static final String CONTENT_TYPE = "content-type";
  private static final String STRUCTURED = "application/cloudevents";

  private BinaryRecords() {}

  /** The event of a well-formed binary-mode 1.0 record; null for any other record. */
  static CloudEvent decode(ConsumerRecord<?, byte[]> record) {
    String specVersion = null;
    String id = null;
    String source = null;
    String type = null;
    String subject = null;
    String dataSchema = null;
    String time = null;
    String contentType = null;
    Map<String, Object> extensions = null;
    Set<String> seen = new HashSet<>(8);
    for (Header header : record.headers()) {
      String key = header.key();
      byte[] raw = header.value();
      boolean attribute = key.startsWith(PREFIX);
      if (!attribute && !key.equals(CONTENT_TYPE)) {
        continue;
      }
      if (raw == null) {
        return null;
      }
      String value = new String(raw, StandardCharsets.UTF_8);
      if (!attribute) {
        if (contentType != null) {
          return null;
        }
        contentType = value;
        continue;
      }
      String name = key.substring(PREFIX.length());
      if (!seen.add(name)) {
        // The SDK checks every value of a repeated header, not only the last: its judgement.
        return null;
      }
      switch (name) {
        case "specversion" -> specVersion = value;
        case "id" -> id = value;
        case "source" -> source = value;
        case "type" -> type = value;
        case "subject" -> subject = value;
        case "dataschema" -> dataSchema = value;
        case "time" -> time = value;
        case "datacontenttype" -> {
          // The binding carries it as content-type; a record that also has the header is the SDK's to judge.
          return null;
        }
        default -> {
          if (!AttributeRules.isValidName(name)) {
            return null;
          }
          if (extensions == null) {
            extensions = new HashMap<>(4);
          }
          extensions.put(name, value);
        }
      }
    }
    if (!SpecVersion.V1.toString().equals(specVersion) || id == null || id.isEmpty() || source == null
        || source.isEmpty() || type == null || type.isEmpty()
        || contentType != null && contentType.startsWith(STRUCTURED)) {
      return null;
    }
    try {
      URI sourceUri = new URI(source);
      URI schemaUri = dataSchema == null ? null : new URI(dataSchema);
      OffsetDateTime timestamp = time == null ? null : Time.parseTime(time);
      byte[] value = record.value();
      CloudEvent event = new CloudEventV1(id, sourceUri, type, contentType, schemaUri, subject, timestamp,
          value == null || value.length == 0 ? null : BytesCloudEventData.wrap(value),
          extensions == null ? Map.of() : extensions);
      // What the SDK's builder runs on every event it builds: the validators registered with it.
      CloudEventValidatorProvider.getInstance().validate(event);
      return event;
    } catch (Exception malformed) {
      return null;
    }
  }

  /**
   * The record that writes {@code event} on to {@code topic}, when it is the unchanged event of the
   * binary-mode record {@code from}: its attribute headers and value as they are. Null when {@code from}
   * is not in binary mode.
   */
  static ProducerRecord<byte[], byte[]> forward(String topic, byte[] key, ConsumerRecord<byte[], byte[]> from) {
    RecordHeaders headers = new RecordHeaders();
    boolean binary = false;
    for (Header header : from.headers()) {
      String name = header.key();
      if (name.startsWith(PREFIX)) {
        binary |= name.equals("ce_specversion");
        headers.add(header);
      } else if (name.equals(CONTENT_TYPE)) {
        headers.add(header);
      }
    }
    return binary ? new ProducerRecord<>(topic, null, key, from.value(), headers) : null;
  }
}
