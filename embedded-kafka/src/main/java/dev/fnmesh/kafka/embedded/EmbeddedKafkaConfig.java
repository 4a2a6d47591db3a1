package dev.fnmesh.kafka.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an {@link EmbeddedKafka} keeps its data and which port it serves clients on.
 *
 * @param dataDir the broker's log and metadata directory; reusing it across starts keeps topics and records
 * @param port    the PLAINTEXT client port on 127.0.0.1, or 0 to pick a free one at start
 * @param saslSsl a second client listener that needs TLS and SCRAM credentials, as a production cluster does
 */
public record EmbeddedKafkaConfig(Path dataDir, int port, Optional<SaslSslListener> saslSsl) {

    /** A broker with its PLAINTEXT listener only. */
    public EmbeddedKafkaConfig(Path dataDir, int port) {
        this(dataDir, port, Optional.empty());
    }

    /**
     * A {@code SASL_SSL} listener on a free loopback port, with SCRAM-SHA-512 users.
     *
     * @param keystorePem a PEM file with the broker's unencrypted private key and its certificate chain
     * @param scramUsers user names and their passwords, created once the broker runs
     */
    public record SaslSslListener(Path keystorePem, Map<String, String> scramUsers) {

        public SaslSslListener {
            Objects.requireNonNull(keystorePem, "keystorePem");
            scramUsers = Map.copyOf(scramUsers);
        }
    }

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(saslSsl, "saslSsl must not be null");
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
