package dev.fnmesh.broker.impl;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The CloudEvents Kafka protocol binding, both ways. Writes binary mode; reads binary and structured
 * mode, as the binding requires of a receiver.
 */
public final class CloudEventRecords {

  /** The extension whose value becomes the record key (CloudEvents Partitioning extension). */
  public static final String PARTITION_KEY = "partitionkey";

  private CloudEventRecords() {}

  /**
   * @param fallbackKey the key when the event carries no {@code partitionkey}; may be null
   */
  public static ProducerRecord<byte[], byte[]> toRecord(String topic, CloudEvent event, byte[] fallbackKey) {
    Object partitionKey = event.getExtension(PARTITION_KEY);
    byte[] key = partitionKey == null ? fallbackKey : partitionKey.toString().getBytes(StandardCharsets.UTF_8);
    return KafkaMessageFactory.<byte[]>createWriter(topic, key).writeBinary(event);
  }

  /** @throws CloudEventRWException when the record is not a CloudEvent in either mode */
  public static CloudEvent fromRecord(ConsumerRecord<?, byte[]> record) {
    return KafkaMessageFactory.createReader(record).toEvent();
  }
}
