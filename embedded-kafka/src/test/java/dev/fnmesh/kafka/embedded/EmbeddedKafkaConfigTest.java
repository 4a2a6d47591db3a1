package dev.fnmesh.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

    @Test
    void shouldRejectAMissingDataDirectory() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new EmbeddedKafkaConfig(null, 0));
        assertTrue(e.getMessage().contains("dataDir"), e.getMessage());
    }

    @Test
    void shouldRejectPortsOutsideTheTcpRangeNamingTheValue() {
        Path dir = Path.of("kafka-data");
        IllegalArgumentException negative =
            assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafkaConfig(dir, -1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedKafkaConfig(dir, 65_536));
    }

    @Test
    void shouldMakeTheDataDirectoryAbsoluteSoRestartsFindTheSameData() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.withFreePort(Path.of("a/../kafka-data"));
        assertTrue(config.dataDir().isAbsolute());
        assertEquals(Path.of("kafka-data").toAbsolutePath(), config.dataDir());
        assertEquals(0, config.port());
    }
}
