package dev.fnmesh.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSettingsTest {

  @Test
  void aPlainKeyGoesToEveryClientAndAPrefixedOneToItsKindOnly() {
    KafkaSettings settings = new KafkaSettings("k:9092", Map.of("security.protocol", "SASL_SSL",
        "producer.linger.ms", "7", "consumer.max.poll.records", "50", "admin.request.timeout.ms", "3000"));

    assertEquals("SASL_SSL", settings.producerConfig("p").get("security.protocol"));
    assertEquals("SASL_SSL", settings.consumerConfig("c", "g", "earliest").get("security.protocol"));
    assertEquals("SASL_SSL", settings.adminConfig("a").get("security.protocol"));
    assertEquals("7", settings.producerConfig("p").get("linger.ms"));
    assertFalse(settings.consumerConfig("c", "g", "earliest").containsKey("linger.ms"));
    assertEquals("50", settings.consumerConfig("c", "g", "earliest").get("max.poll.records"));
    assertEquals("3000", settings.adminConfig("a").get("request.timeout.ms"));
    assertFalse(settings.producerConfig("p").containsKey("producer.linger.ms"));
  }

  @Test
  void theSettingsTheGuaranteesRestOnCannotBeChanged() {
    for (String key : new String[] {"acks", "producer.enable.idempotence", "consumer.enable.auto.commit",
        "isolation.level", "consumer.group.id", "value.serializer"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new KafkaSettings("k:9092", Map.of(key, "x")), key);
      assertTrue(e.getMessage().contains(key) && e.getMessage().contains("cannot be changed"), e.getMessage());
    }
  }

  @Test
  void aConfigFileGivesItsBootstrapServersAndOverridesAndIsRefusedNamingAProtectedKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, """
        # as Confluent Cloud hands it out
        bootstrap.servers=pkc-1.example.com:9092
        security.protocol=SASL_SSL
        sasl.mechanism=PLAIN
        """);
    KafkaConfigFile config = KafkaConfigFile.read(file);
    assertEquals(Optional.of("pkc-1.example.com:9092"), config.bootstrapServers());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"), config.overrides());

    Files.writeString(file, "acks=1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaConfigFile.read(file));
    assertTrue(e.getMessage().startsWith(file + ": the Kafka client setting acks cannot be changed"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KafkaConfigFile.read(dir.resolve("missing.properties")));
  }
}
