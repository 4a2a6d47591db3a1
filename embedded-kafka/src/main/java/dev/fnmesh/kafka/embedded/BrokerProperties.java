package dev.fnmesh.kafka.embedded;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code server.properties} of a single-node KRaft broker that is both broker and controller.
 * Values are tuned for tests and local runs: small memory, no replication, fast consumer groups.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";

    private BrokerProperties() {
    }

    static final String SASL_SSL_LISTENER = "SASL_SSL";

    static Properties of(Path dataDir, int clientPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // A static voter set: the controller port may change between restarts because the voter
        // address is read from this config, not from the formatted directory.
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort
            + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());

        // One node: every internal topic must accept a single replica or it never gets created.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        // Fewer coordinator partitions than the default 50 make the first group join much cheaper.
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.num.partitions", "4");

        // The default 128 MiB dedupe buffer alone kills a small heap at start (STACK.md: 4 MiB runs in ~35 MiB).
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));

        // Fast consumer groups. KIP-848 groups heartbeat at the broker-given interval, which must lie in
        // [min, max] heartbeat interval and stay below the session timeout, itself within [min, max] session.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.consumer.heartbeat.interval.ms", "500");
        props.put("group.consumer.min.heartbeat.interval.ms", "500");
        props.put("group.consumer.session.timeout.ms", "6000");
        props.put("group.consumer.min.session.timeout.ms", "6000");

        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "8");
        return props;
    }

    /**
     * Adds a {@code SASL_SSL} client listener with SCRAM-SHA-512, its TLS key and certificate read from a PEM file;
     * the broker itself keeps talking PLAINTEXT on loopback.
     */
    static Properties withSaslSsl(Properties props, int saslPort, Path keystorePem) {
        String listener = SASL_SSL_LISTENER + "://" + HOST + ":" + saslPort;
        props.put("listeners", props.getProperty("listeners") + "," + listener);
        props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + listener);
        props.put("listener.security.protocol.map",
            props.getProperty("listener.security.protocol.map") + "," + SASL_SSL_LISTENER + ":SASL_SSL");
        String prefix = "listener.name." + SASL_SSL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put(prefix + "scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put(prefix + "ssl.keystore.type", "PEM");
        props.put(prefix + "ssl.keystore.location", keystorePem.toAbsolutePath().toString());
        return props;
    }
}
