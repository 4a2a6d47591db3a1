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
import java.util.Map;

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
  // A topic's events mostly share a few sources and schemas: parsing one as a URI was a tenth of decoding.
  private static final RecentUris PARSED_URIS = new RecentUris(256);

  // Slots of the context attributes read from a record's headers.
  private static final int SPECVERSION = 0;
  private static final int ID = 1;
  private static final int SOURCE = 2;
  private static final int TYPE = 3;
  private static final int SUBJECT = 4;
  private static final int DATASCHEMA = 5;
  private static final int TIME = 6;
  private static final int ATTRIBUTES = 7;
  private static final int EXTENSION = ATTRIBUTES;

  private BinaryRecords() {}

  /** The event of a well-formed binary-mode 1.0 record; null for any other record. */
  static CloudEvent decode(ConsumerRecord<?, byte[]> record) {
    String[] attributes = new String[ATTRIBUTES];
    String contentType = null;
    Map<String, Object> extensions = null;
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
      int slot = switch (name) {
        case "specversion" -> SPECVERSION;
        case "id" -> ID;
        case "source" -> SOURCE;
        case "type" -> TYPE;
        case "subject" -> SUBJECT;
        case "dataschema" -> DATASCHEMA;
        case "time" -> TIME;
        // The binding carries it as content-type; a record that also has the header is the SDK's to judge.
        case "datacontenttype" -> -1;
        default -> EXTENSION;
      };
      // A repeated attribute header is the SDK's to judge too: it checks every value, not only the last.
      if (slot == EXTENSION) {
        if (!AttributeRules.isValidName(name)) {
          return null;
        }
        if (extensions == null) {
          extensions = new HashMap<>(4);
        } else if (extensions.containsKey(name)) {
          return null;
        }
        extensions.put(name, value);
      } else if (slot < 0 || attributes[slot] != null) {
        return null;
      } else {
        attributes[slot] = value;
      }
    }
    String specVersion = attributes[SPECVERSION];
    String id = attributes[ID];
    String source = attributes[SOURCE];
    String type = attributes[TYPE];
    String subject = attributes[SUBJECT];
    String dataSchema = attributes[DATASCHEMA];
    String time = attributes[TIME];
    if (!SpecVersion.V1.toString().equals(specVersion) || id == null || id.isEmpty() || source == null
        || source.isEmpty() || type == null || type.isEmpty()
        || contentType != null && contentType.startsWith(STRUCTURED)) {
      return null;
    }
    try {
      URI sourceUri = PARSED_URIS.parse(source);
      URI schemaUri = dataSchema == null ? null : PARSED_URIS.parse(dataSchema);
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
