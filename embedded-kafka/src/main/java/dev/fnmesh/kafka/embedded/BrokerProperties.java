package dev.fnmesh.kafka.embedded;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code server.properties} of a KRaft node that is both broker and controller, alone or one of a
 * cluster. Values are tuned for tests and local runs: small memory, fast consumer groups.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";

    private BrokerProperties() {
    }

    static final String SASL_SSL_LISTENER = "SASL_SSL";

    static Properties of(Path dataDir, int clientPort, int controllerPort) {
        return node(dataDir, NODE_ID, clientPort, controllerPort, voter(NODE_ID, controllerPort), 1);
    }

    /** {@code id@127.0.0.1:port}, one entry of {@code controller.quorum.voters}. */
    static String voter(int nodeId, int controllerPort) {
        return nodeId + "@" + HOST + ":" + controllerPort;
    }

    /**
     * One node of a cluster of combined broker and controller nodes.
     *
     * @param voters the {@code controller.quorum.voters} of the cluster, every node's {@link #voter}
     * @param replicas the replicas of Kafka's own topics (consumer offsets, transactions) and of topics created
     *     without a replication factor: at most the number of nodes
     */
    static Properties node(Path dataDir, int nodeId, int clientPort, int controllerPort, String voters, int replicas) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(nodeId));
        // A static voter set: the controller port may change between restarts because the voter
        // address is read from this config, not from the formatted directory.
        props.put("controller.quorum.voters", voters);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort
            + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());

        // An internal topic needs as many live brokers as its replicas or it never gets created: one on a
        // single node. Its writes need all but one of them, so that a cluster keeps working with a broker away.
        String internalReplicas = String.valueOf(replicas);
        String internalMinIsr = String.valueOf(Math.max(1, replicas - 1));
        props.put("offsets.topic.replication.factor", internalReplicas);
        props.put("transaction.state.log.replication.factor", internalReplicas);
        props.put("transaction.state.log.min.isr", internalMinIsr);
        props.put("share.coordinator.state.topic.replication.factor", internalReplicas);
        props.put("share.coordinator.state.topic.min.isr", internalMinIsr);
        props.put("default.replication.factor", internalReplicas);
        // Topics say their own (fnmesh's do); a topic another client creates with one replica stays writable.
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
