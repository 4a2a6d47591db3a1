package dev.fnmesh.kafka.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
        return start(config, config.port() == 0 ? LoopbackPorts.free() : config.port());
    }

    /**
     * Starts the broker as {@link #start} does, on a thread of its own, so that the caller prepares what it
     * needs meanwhile: its address is known at once, its port chosen before the broker starts.
     */
    public static Launch launch(EmbeddedKafkaConfig config) {
        int clientPort = config.port() == 0 ? LoopbackPorts.free() : config.port();
        CompletableFuture<EmbeddedKafka> started = new CompletableFuture<>();
        Thread starting = new Thread(() -> {
            try {
                started.complete(start(config, clientPort));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "fnmesh-kafka-start");
        starting.start();
        return new Launch("127.0.0.1:" + clientPort, started);
    }

    /**
     * A broker being started.
     *
     * @param bootstrapServers where clients find it once started
     * @param started completes with the broker once it takes clients; fails as {@link #start} throws
     */
    public record Launch(String bootstrapServers, CompletableFuture<EmbeddedKafka> started) implements AutoCloseable {

        /** Waits for the start to end, then stops the broker if it started. */
        @Override
        public void close() {
            try {
                started.join().close();
            } catch (CompletionException | CancellationException e) {
                // It did not start: there is nothing to stop, and the start's failure was reported where it was waited for.
            }
        }
    }

    private static EmbeddedKafka start(EmbeddedKafkaConfig config, int clientPort) {
        long startNanos = System.nanoTime();
        KRaftStorage.formatIfNeeded(config.dataDir());
        int controllerPort = LoopbackPorts.free();
        Properties props = BrokerProperties.of(config.dataDir(), clientPort, controllerPort);
        Optional<Integer> saslPort = config.saslSsl().map(listener -> LoopbackPorts.free());
        config.saslSsl().ifPresent(listener -> BrokerProperties.withSaslSsl(props, saslPort.get(), listener.keystorePem()));
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + clientPort,
            saslPort.map(port -> "127.0.0.1:" + port));
        try {
            server.startup();
            BrokerReadiness.await(kafka.bootstrapServers, 1);
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
            admin.alterUserScramCredentials(users).all().get(BrokerReadiness.READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
}
