package dev.fnmesh.kafka.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an {@link EmbeddedKafka} keeps its data and which port it serves clients on.
 *
 * @param dataDir the broker's log and metadata directory; reusing it across starts keeps topics and records
 * @param port    the PLAINTEXT client port on 127.0.0.1, or 0 to pick a free one at start
 */
public record EmbeddedKafkaConfig(Path dataDir, int port) {

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(
                "port must be 0 (pick a free port) or within 1..65535, got " + port);
        }
        // Kafka resolves log.dirs against the broker's working directory; an absolute path keeps
        // "the same directory" meaning the same thing on every restart.
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** A config that serves clients on a free port picked at start. */
    public static EmbeddedKafkaConfig withFreePort(Path dataDir) {
        return new EmbeddedKafkaConfig(dataDir, 0);
    }
}
