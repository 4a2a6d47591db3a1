package dev.fnmesh.host.impl.consumer;

import dev.fnmesh.broker.impl.CloudEventRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key that orders a record under {@code ordering: key}: the CloudEvents {@code partitionkey} extension
 * when the record carries one, else the Kafka record key. fnmesh writes the {@code partitionkey} as the record
 * key, so both agree for its own records. Records with neither share the one {@link #NO_KEY} lane.
 */
final class OrderingKeys {

  /** The key of every record without a partition key or a record key: such records keep their offset order. */
  static final Object NO_KEY = new Object() {
    @Override
    public String toString() {
      return "no key";
    }
  };

  private static final String BINARY_HEADER = "ce_" + CloudEventRecords.PARTITION_KEY;
  private static final String CONTENT_TYPE = "content-type";
  private static final byte[] STRUCTURED = "application/cloudevents".getBytes(StandardCharsets.UTF_8);

  private OrderingKeys() {
  }

  /** @return a value equal for records of one key (a {@link ByteBuffer} of its bytes), or {@link #NO_KEY} */
  static Object of(ConsumerRecord<byte[], byte[]> record) {
    Header binary = record.headers().lastHeader(BINARY_HEADER);
    if (binary != null && binary.value() != null) {
      return ByteBuffer.wrap(binary.value());
    }
    if (structured(record)) {
      // The extension sits inside the value: read it the way delivery will. A record that is no CloudEvent
      // is ordered by its record key; delivery dead-letters it.
      try {
        Object partitionKey = CloudEventRecords.fromRecord(record).getExtension(CloudEventRecords.PARTITION_KEY);
        if (partitionKey != null) {
          return ByteBuffer.wrap(partitionKey.toString().getBytes(StandardCharsets.UTF_8));
        }
      } catch (RuntimeException notAnEvent) {
        // Falls through to the record key.
      }
    }
    return record.key() == null ? NO_KEY : ByteBuffer.wrap(record.key());
  }

  private static boolean structured(ConsumerRecord<byte[], byte[]> record) {
    Header contentType = record.headers().lastHeader(CONTENT_TYPE);
    if (contentType == null || contentType.value() == null || contentType.value().length < STRUCTURED.length) {
      return false;
    }
    for (int i = 0; i < STRUCTURED.length; i++) {
      if (Character.toLowerCase(contentType.value()[i]) != STRUCTURED[i]) {
        return false;
      }
    }
    return true;
  }
}
