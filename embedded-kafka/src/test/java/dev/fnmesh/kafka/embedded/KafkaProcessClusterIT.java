package dev.fnmesh.kafka.embedded;

import static dev.fnmesh.kafka.embedded.OrdersTopic.TOPIC;
import static dev.fnmesh.kafka.embedded.OrdersTopic.admin;
import static dev.fnmesh.kafka.embedded.OrdersTopic.describe;
import static dev.fnmesh.kafka.embedded.OrdersTopic.produce;
import static dev.fnmesh.kafka.embedded.OrdersTopic.readAll;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, each a JVM of its own: the leader of a partition killed with SIGKILL loses no acknowledged write
 * (replication 3, min ISR 2), writes go on while it is away, it comes back on its data, and no node outlives the
 * cluster's close.
 */
class KafkaProcessClusterIT {


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
}
