package dev.fnmesh.kafka.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, each a JVM of its own: the leader of a partition killed with SIGKILL loses no acknowledged write
 * (replication 3, min ISR 2), writes go on while it is away, it comes back on its data, and no node outlives the
 * cluster's close.
 */
class KafkaProcessClusterIT {

    private static final String TOPIC = "orders";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepEveryAcknowledgedWriteWhenTheLeaderNodeIsKilledAndTakeItBackOnItsData() throws Exception {
        List<ProcessHandle> nodes;
        try (KafkaProcessCluster cluster = KafkaProcessCluster.start(EmbeddedKafkaClusterConfig.withFreePorts(dataDir, 3));
             Admin admin = admin(cluster.bootstrapServers())) {
            // The test JVM starts no other process.
            nodes = ProcessHandle.current().children().toList();
            assertEquals(3, nodes.size(), "a process per node");
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            produce(cluster.bootstrapServers(), "before");
            int leader = describe(admin).partitions().get(0).leader().id();

            cluster.kill(leader);

            assertEquals(List.of(1, 2, 3).stream().filter(id -> id != leader).toList(), cluster.runningIds());
            produce(cluster.bootstrapServers(), "while-away");
            await().atMost(Duration.ofSeconds(30)).until(() -> describe(admin).partitions().get(0).leader().id() != leader);

            cluster.start(leader);

            await().atMost(Duration.ofSeconds(30)).until(() -> describe(admin).partitions().get(0).isr().size() == 3);
            assertEquals(List.of("before", "while-away"), readAll(cluster.bootstrapServers(), 2));
        }
        assertTrue(nodes.stream().noneMatch(ProcessHandle::isAlive), "every node ended with the cluster");
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
    }

    private static void produce(String bootstrapServers, String value) throws Exception {
        Map<String, Object> config = Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(TOPIC, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(String bootstrapServers, int expected) {
        Map<String, Object> config = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.value());
                }
                return seen.size() >= expected;
            });
        }
        return seen;
    }
}
