package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The CloudEvents Kafka protocol binding, both ways. Writes binary mode (structured mode for an event whose
 * data is itself of a CloudEvents format); reads binary and structured mode, as the binding requires of a receiver.
 */
public final class CloudEventRecords {

  /** The extension whose value becomes the record key (CloudEvents Partitioning extension). */
  public static final String PARTITION_KEY = "partitionkey";

  /** How the SDK's reader, as the binding says, tells a structured-mode record: its content-type starts so. */
  private static final String STRUCTURED_PREFIX = "application/cloudevents";
  private static final EventFormat STRUCTURED = new JsonFormat().withForceJsonDataToBase64();

  private CloudEventRecords() {}

  /**
   * @param fallbackKey the key when the event carries no {@code partitionkey}; may be null
   */
  public static ProducerRecord<byte[], byte[]> toRecord(String topic, CloudEvent event, byte[] fallbackKey) {
    String dataType = event.getDataContentType();
    // Kafka binding 3.1: a receiver reads a record whose content-type starts so as structured mode, so an event
    // whose data has such a type would not read back from binary mode: it goes in structured mode, data in base64.
    if (dataType != null && dataType.startsWith(STRUCTURED_PREFIX)) {
      return KafkaMessageFactory.<byte[]>createWriter(topic, key(event, fallbackKey)).writeStructured(event, STRUCTURED);
    }
    return KafkaMessageFactory.<byte[]>createWriter(topic, key(event, fallbackKey)).writeBinary(event);
  }

  /**
   * The record that writes {@code event} to {@code topic} when it is the very event {@link #fromRecord}
   * read from {@code from} (a function that answers with its input, as a filter or a router does): the
   * attribute headers and value are passed on as they are instead of being written anew, which gives the
   * same record.
   *
   * @param fallbackKey the key when the event carries no {@code partitionkey}; may be null
   */
  public static ProducerRecord<byte[], byte[]> forward(String topic, CloudEvent event, ConsumerRecord<byte[], byte[]> from,
      byte[] fallbackKey) {
    ProducerRecord<byte[], byte[]> forwarded = BinaryRecords.forward(topic, key(event, fallbackKey), from);
    return forwarded != null ? forwarded : toRecord(topic, event, fallbackKey);
  }

  private static byte[] key(CloudEvent event, byte[] fallbackKey) {
    Object partitionKey = event.getExtension(PARTITION_KEY);
    return partitionKey == null ? fallbackKey : partitionKey.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** @throws CloudEventRWException when the record is not a CloudEvent in either mode */
  public static CloudEvent fromRecord(ConsumerRecord<?, byte[]> record) {
    CloudEvent event = BinaryRecords.decode(record);
    if (event != null) {
      return event;
    }
    try {
      return KafkaMessageFactory.createReader(record).toEvent();
    } catch (CloudEventRWException e) {
      throw e;
    } catch (RuntimeException e) {
      // The SDK 4.0.1 refuses some malformed records with other exceptions: a structured-mode value that does not
      // parse (EventDeserializationException), the JSON value null or a header without a value (NullPointerException).
      throw CloudEventRWException.newOther("the record is not a CloudEvent: " + e);
    }
  }
}
