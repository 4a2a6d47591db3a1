package dev.fnmesh.broker.metrics;

import dev.fnmesh.broker.KafkaSettings;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Kafka client's metrics are in the registry while it is bound, tagged with its client id, and gone after. */
class KafkaClientMetersTest {

  // Clients only: nothing is sent, so no broker need answer.
  private static final KafkaSettings KAFKA = KafkaSettings.of("127.0.0.1:1");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final KafkaClientMeters meters = new KafkaClientMeters(registry);

  @AfterEach
  void close() {
    meters.close();
  }

  @Test
  void aProducersMetricsAreServedUntilItsBindingIsClosed() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.producerConfig("meters-test-producer"))) {
      AutoCloseable binding = meters.bind(producer);

      List<Meter> bound = ofClient("meters-test-producer");
      assertTrue(bound.stream().anyMatch(meter -> meter.getId().getName().startsWith("kafka.producer.")), bound.toString());

      binding.close();
      assertEquals(List.of(), ofClient("meters-test-producer"));
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void aConsumersMetricsAreServedUntilItsBindingIsClosed() throws Exception {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KAFKA.consumerConfig("meters-test-consumer",
        "meters-test", "earliest"))) {
      AutoCloseable binding = meters.bind(consumer);

      assertTrue(ofClient("meters-test-consumer").stream()
          .anyMatch(meter -> meter.getId().getName().startsWith("kafka.consumer.")));

      binding.close();
      assertEquals(List.of(), ofClient("meters-test-consumer"));
    }
  }

  @Test
  void anAdminClientsMetricsAreServedUntilItsBindingIsClosed() throws Exception {
    try (Admin admin = Admin.create(KAFKA.adminConfig("meters-test-admin"))) {
      AutoCloseable binding = meters.bind(admin);

      assertTrue(ofClient("meters-test-admin").stream()
          .anyMatch(meter -> meter.getId().getName().startsWith("kafka.admin.client.")), registry.getMeters().toString());

      binding.close();
      assertEquals(List.of(), ofClient("meters-test-admin"));
      admin.close(Duration.ZERO);
    }
  }

  @Test
  void noneBindsNothing() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KAFKA.producerConfig("meters-test-none"))) {
      KafkaClientMeters.none().bind(producer).close();

      assertFalse(registry.getMeters().stream().anyMatch(meter -> meter.getId().getName().startsWith("kafka.")));
      producer.close(Duration.ZERO);
    }
  }

  private List<Meter> ofClient(String clientId) {
    return registry.getMeters().stream().filter(meter -> clientId.equals(meter.getId().getTag("client.id"))).toList();
  }
}
