package dev.fnmesh.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller) running inside
 * this JVM. {@link #start} returns once clients can connect; {@link #close} stops it and waits for it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofSeconds(2);
    private static final Duration READY_BACKOFF = Duration.ofMillis(50);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Optional<String> saslSslBootstrapServers;
    private final Object closeLock = new Object();
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Optional<String> saslSslBootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.saslSslBootstrapServers = saslSslBootstrapServers;
    }

    /**
     * Formats {@code config.dataDir()} if it is not formatted yet, starts the broker and blocks until it
     * answers a client's describeCluster with itself as a live node.
     *
     * @throws IllegalStateException if the storage cannot be formatted or the broker is not ready within 60 s
     */
    public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
        long startNanos = System.nanoTime();
        KRaftStorage.formatIfNeeded(config.dataDir());
        int clientPort = config.port() == 0 ? freePort() : config.port();
        int controllerPort = freePort();
        Properties props = BrokerProperties.of(config.dataDir(), clientPort, controllerPort);
        Optional<Integer> saslPort = config.saslSsl().map(listener -> freePort());
        config.saslSsl().ifPresent(listener -> BrokerProperties.withSaslSsl(props, saslPort.get(), listener.keystorePem()));
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + clientPort,
            saslPort.map(port -> "127.0.0.1:" + port));
        try {
            server.startup();
            kafka.awaitClientsAccepted();
            config.saslSsl().ifPresent(kafka::createScramUsers);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("kafka started bootstrapServers={} controllerPort={} dataDir={} startMs={}",
            kafka.bootstrapServers, controllerPort, config.dataDir(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return kafka;
    }

    /** The {@code bootstrap.servers} value for clients of this broker, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The {@code bootstrap.servers} of the {@code SASL_SSL} listener, when the broker has one. */
    public Optional<String> saslSslBootstrapServers() {
        return saslSslBootstrapServers;
    }

    private void createScramUsers(EmbeddedKafkaConfig.SaslSslListener listener) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            listener.scramUsers().forEach((user, password) -> users.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)));
            admin.alterUserScramCredentials(users).all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the SCRAM users of kafka at " + bootstrapServers + " were not created", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM users", e);
        }
    }

    /** Stops the broker and waits until it has shut down; calling it again does nothing. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long startNanos = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("kafka stopped bootstrapServers={} stopMs={}",
            bootstrapServers, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private void awaitClientsAccepted() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READY_POLL.toMillis(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_POLL.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    // An unfenced broker lists itself; before that the metadata response has no nodes and
                    // topic creation would fail, so "connected" alone is not "ready".
                    boolean listed = !admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs((int) READY_POLL.toMillis()))
                        .nodes().get(READY_POLL.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
                    if (listed) {
                        return;
                    }
                    // Answered but not listed yet: back off briefly instead of spinning on the broker.
                    TimeUnit.MILLISECONDS.sleep(READY_BACKOFF.toMillis());
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for kafka at " + bootstrapServers, e);
                }
            }
            throw new IllegalStateException("kafka at " + bootstrapServers + " did not accept clients within "
                + READY_TIMEOUT.toSeconds() + " s", last);
        }
    }

    private static int freePort() {
        // The port is free now; another process could take it before the broker binds, which a retry of
        // start() solves. Kafka needs the number up front because it is part of the advertised listener.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for kafka", e);
        }
    }
}
