package dev.fnmesh.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaClusterConfigTest {

    @Test
    void shouldNumberTheNodesFromOneEachInADirectoryOfItsOwn() {
        EmbeddedKafkaClusterConfig config = new EmbeddedKafkaClusterConfig(Path.of("a/../cluster"), 3, 9092);

        assertEquals(List.of(1, 2, 3), config.nodeIds());
        assertTrue(config.dataDir().isAbsolute());
        assertEquals(config.dataDir().resolve("node-2"), config.nodeDir(2));
    }

    @Test
    void shouldRejectNoNodesTooManyAndPortsBeyondTheTcpRange() {
        Path dir = Path.of("cluster");
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafkaClusterConfig(dir, 0, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new EmbeddedKafkaClusterConfig(dir, EmbeddedKafkaClusterConfig.MAX_NODES + 1, 0));
        IllegalArgumentException ports = assertThrows(IllegalArgumentException.class,
            () -> new EmbeddedKafkaClusterConfig(dir, 3, 65_534));
        assertTrue(ports.getMessage().contains("65534"), ports.getMessage());
    }
}
