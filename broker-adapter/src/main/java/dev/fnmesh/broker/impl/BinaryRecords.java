package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

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
    BinaryAttributes attributes = new BinaryAttributes();
    String contentType = null;
    for (Header header : record.headers()) {
      String key = header.key();
      boolean attribute = key.startsWith(PREFIX);
      if (!attribute && !key.equals(CONTENT_TYPE)) {
        continue;
      }
      byte[] raw = header.value();
      if (raw == null) {
        return null;
      }
      String value = new String(raw, StandardCharsets.UTF_8);
      if (!attribute) {
        if (contentType != null) {
          return null;
        }
        contentType = value;
      } else if (!attributes.put(key.substring(PREFIX.length()), value)) {
        return null;
      }
    }
    if (contentType != null && contentType.startsWith(STRUCTURED)) {
      return null;
    }
    return attributes.event(contentType, record.value());
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
