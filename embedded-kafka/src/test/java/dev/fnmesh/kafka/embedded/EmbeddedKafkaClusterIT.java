package dev.fnmesh.kafka.embedded;

import static dev.fnmesh.kafka.embedded.OrdersTopic.TOPIC;
import static dev.fnmesh.kafka.embedded.OrdersTopic.admin;
import static dev.fnmesh.kafka.embedded.OrdersTopic.describe;
import static dev.fnmesh.kafka.embedded.OrdersTopic.produce;
import static dev.fnmesh.kafka.embedded.OrdersTopic.readAll;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes in one JVM behave as a cluster does: replicas on every node, writes going on while one is away. */
class EmbeddedKafkaClusterIT {


    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTakingWritesWhileTheLeaderNodeIsStoppedAndKeepItsDataAcrossARestart() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaClusterConfig.withFreePorts(dataDir, 3));
             Admin admin = admin(cluster.bootstrapServers())) {
            assertEquals(3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            produce(cluster.bootstrapServers(), "before");
            int leader = describe(admin).partitions().get(0).leader().id();

            cluster.stop(leader);

            assertEquals(List.of(1, 2, 3).stream().filter(id -> id != leader).toList(), cluster.runningIds());
            produce(cluster.bootstrapServers(), "while-away");
            assertNotEquals(leader, describe(admin).partitions().get(0).leader().id());

            cluster.start(leader);

            await().atMost(Duration.ofSeconds(30)).until(() -> describe(admin).partitions().get(0).isr().size() == 3);
        }

        try (EmbeddedKafkaCluster restarted = EmbeddedKafkaCluster.start(EmbeddedKafkaClusterConfig.withFreePorts(dataDir, 3))) {
            assertEquals(List.of("before", "while-away"), readAll(restarted.bootstrapServers(), 2));
        }
    }
}
