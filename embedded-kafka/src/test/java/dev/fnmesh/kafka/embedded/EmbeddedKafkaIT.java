package dev.fnmesh.kafka.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    private static final String TOPIC = "orders";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;

    @Test
    void aLaunchedBrokerNamesItsAddressAtOnceAndTakesClientsThereOnceStarted() throws Exception {
        EmbeddedKafka.Launch launch = EmbeddedKafka.launch(EmbeddedKafkaConfig.withFreePort(dataDir));
        try (launch) {
            String announced = launch.bootstrapServers();

            EmbeddedKafka started = launch.started().get(60, TimeUnit.SECONDS);

            assertEquals(announced, started.bootstrapServers());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, announced))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            produce(announced, "order-1", "{\"id\":1}");
            assertEquals(List.of("order-1={\"id\":1}"), readAll(announced));
        }
    }

    @Test
    void shouldKeepTopicsAndRecordsWhenRestartedOnTheSameDirectory() throws Exception {
        String firstBootstrap;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.withFreePort(dataDir))) {
            firstBootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, firstBootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            produce(firstBootstrap, "order-1", "{\"id\":1}");
            assertEquals(List.of("order-1={\"id\":1}"), readAll(firstBootstrap));
        }
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "data directory was not formatted");

        try (EmbeddedKafka restarted = EmbeddedKafka.start(EmbeddedKafkaConfig.withFreePort(dataDir))) {
            // A new free port proves the client reached the restarted broker, not a leftover socket.
            assertNotEquals(firstBootstrap, restarted.bootstrapServers());
            try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()))) {
                assertEquals(Set.of(TOPIC), admin.listTopics().names().get());
            }
            assertEquals(List.of("order-1={\"id\":1}"), readAll(restarted.bootstrapServers()));
        }
    }

    @Test
    void shouldGiveNewTopicsEightPartitionsAndNeverCreateTopicsOnDemand() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.withFreePort(dataDir));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(), Optional.empty()))).all().get();

            assertEquals(8, admin.describeTopics(List.of("defaults")).allTopicNames().get()
                .get("defaults").partitions().size());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config brokerConfig = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertEquals("false", brokerConfig.get("auto.create.topics.enable").value());
        }
    }

    private static void produce(String bootstrapServers, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private static List<String> readAll(String bootstrapServers) {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            // Assigned, not subscribed: the test reads the log itself and needs no consumer group.
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
                return !seen.isEmpty();
            });
        }
        return seen;
    }
}
