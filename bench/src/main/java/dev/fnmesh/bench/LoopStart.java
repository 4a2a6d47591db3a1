package dev.fnmesh.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * StartBench's reference: the smallest program that does what a trigger does, a kafka-clients consume → produce
 * loop in a JVM of its own. It reads its input topic's partition 0 from the start and writes every record to the
 * output topic, until killed. Usage: {@code LoopStart BOOTSTRAP INPUT OUTPUT}.
 */
public final class LoopStart {

  private LoopStart() {}

  public static void main(String[] args) {
    String bootstrap = args[0];
    Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
      TopicPartition input = new TopicPartition(args[1], 0);
      consumer.assign(List.of(input));
      consumer.seekToBeginning(List.of(input));
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          producer.send(new ProducerRecord<>(args[2], record.key(), record.value()));
        }
        producer.flush();
      }
    }
  }
}
