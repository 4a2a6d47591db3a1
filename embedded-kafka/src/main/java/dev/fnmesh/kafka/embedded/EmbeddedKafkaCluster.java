package dev.fnmesh.kafka.embedded;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster inside this JVM: nodes that are each broker and controller (KRaft), every one
 * a voter of the controller quorum, so that the cluster keeps working while any one node is away. Each node
 * can be stopped and started again on its own, with its data and its ports, as a broker of a real cluster
 * goes away and comes back. Its methods may be called from any thread.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    private final Map<Integer, Properties> nodes;
    private final String bootstrapServers;
    // Guarded by this: the nodes running now, by node id.
    private final Map<Integer, KafkaRaftServer> running = new TreeMap<>();

    private EmbeddedKafkaCluster(Map<Integer, Properties> nodes, String bootstrapServers) {
        this.nodes = nodes;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats the nodes' directories that are not formatted yet, starts every node and blocks until each is
     * listed as a live broker.
     *
     * @throws IllegalStateException if a node cannot be formatted or started, or the cluster is not ready
     *     within 60 s (what did start is stopped again)
     */
    public static EmbeddedKafkaCluster start(EmbeddedKafkaClusterConfig config) {
        long startNanos = System.nanoTime();
        List<Integer> ids = config.nodeIds();
        refuseAnotherSize(config);
        String clusterId = KRaftStorage.clusterIdOf(ids.stream().map(config::nodeDir).toList());
        Map<Integer, Integer> clientPorts = new TreeMap<>();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        for (int id : ids) {
            KRaftStorage.formatIfNeeded(config.nodeDir(id), id, clusterId);
            clientPorts.put(id, config.firstPort() == 0 ? LoopbackPorts.free() : config.firstPort() + id - 1);
            controllerPorts.put(id, LoopbackPorts.free());
        }
        String voters = ids.stream().map(id -> BrokerProperties.voter(id, controllerPorts.get(id)))
            .collect(Collectors.joining(","));
        int replicas = Math.min(EmbeddedKafkaClusterConfig.INTERNAL_REPLICAS, ids.size());
        Map<Integer, Properties> nodes = new TreeMap<>();
        ids.forEach(id -> nodes.put(id, withShortSessions(BrokerProperties.node(config.nodeDir(id), id,
            clientPorts.get(id), controllerPorts.get(id), voters, replicas))));
        String bootstrap = clientPorts.values().stream().map(port -> "127.0.0.1:" + port)
            .collect(Collectors.joining(","));
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(nodes, bootstrap);
        try {
            // Together: a node's start waits for the controller quorum, which needs most nodes running.
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            ids.forEach(id -> starts.add(CompletableFuture.runAsync(() -> cluster.startNode(id), runnable -> {
                Thread starter = new Thread(runnable, "fnmesh-kafka-start-" + id);
                starter.setDaemon(true);
                starter.start();
            })));
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            BrokerReadiness.await(bootstrap, ids.size());
        } catch (RuntimeException e) {
            cluster.close();
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        LOG.info("kafka cluster started nodes={} bootstrapServers={} dataDir={} startMs={}", ids.size(), bootstrap,
            config.dataDir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return cluster;
    }

    /** The {@code bootstrap.servers} of every node, e.g. {@code 127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Every node's id, also its broker id in Kafka's metadata: 1 to the number of nodes. */
    public List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * Stops one node as a broker of a real cluster is stopped: its partitions' leadership moves to the other
     * nodes first (controlled shutdown). Blocks until it has shut down.
     *
     * @throws IllegalStateException when the node is not running
     */
    public void stop(int nodeId) {
        KafkaRaftServer server;
        synchronized (this) {
            server = running.remove(nodeId);
        }
        if (server == null) {
            throw new IllegalStateException("kafka node " + nodeId + " is not running; running: " + runningIds());
        }
        long startNanos = System.nanoTime();
        server.shutdown();
        server.awaitShutdown();
        LOG.info("kafka node stopped node={} stopMs={}", nodeId,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Starts a stopped node again, on its data and ports; blocks until it is listed as a live broker.
     *
     * @throws IllegalStateException when the node is running already or does not start within 60 s
     */
    public void start(int nodeId) {
        startNode(nodeId);
        BrokerReadiness.await(bootstrapServers, runningIds().size());
        LOG.info("kafka node started again node={}", nodeId);
    }

    /** The nodes running now. */
    public synchronized List<Integer> runningIds() {
        return List.copyOf(running.keySet());
    }

    /** Stops every node that runs, all at once, and waits until they have shut down; calling it again does nothing. */
    @Override
    public void close() {
        List<Integer> ids = runningIds();
        long startNanos = System.nanoTime();
        // All at once: a node stopped last would wait for a controller quorum that left before it.
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        ids.forEach(id -> stops.add(CompletableFuture.runAsync(() -> stop(id), runnable -> {
            Thread stopper = new Thread(runnable, "fnmesh-kafka-stop-" + id);
            stopper.setDaemon(true);
            stopper.start();
        })));
        stops.forEach(stop -> stop.handle((ok, failure) -> {
            if (failure != null) {
                LOG.warn("kafka node did not stop cleanly", failure);
            }
            return null;
        }).join());
        if (!ids.isEmpty()) {
            LOG.info("kafka cluster stopped bootstrapServers={} stopMs={}", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    // The nodes are the voters of the controller quorum, named in every node's config: a data directory of a
    // cluster of another size would start as a quorum that its metadata log does not know.
    static void refuseAnotherSize(EmbeddedKafkaClusterConfig config) {
        File[] formatted = config.dataDir().toFile().listFiles(dir -> dir.getName().startsWith("node-")
            && new File(dir, "meta.properties").exists());
        if (formatted != null && formatted.length > 0 && formatted.length != config.nodes()) {
            throw new IllegalStateException("kafka data directory " + config.dataDir() + " holds a cluster of "
                + formatted.length + " nodes, not " + config.nodes() + ": start it with " + formatted.length
                + " or use another directory");
        }
    }

    // A node started again registers only once its last registration expired (DUPLICATE_BROKER_REGISTRATION
    // until then), and a node that dies is fenced only then: 9 s by default, 4 s here.
    static Properties withShortSessions(Properties props) {
        props.put("broker.session.timeout.ms", "4000");
        props.put("broker.heartbeat.interval.ms", "1000");
        return props;
    }

    private void startNode(int nodeId) {
        Properties props = nodes.get(nodeId);
        if (props == null) {
            throw new IllegalArgumentException("no kafka node " + nodeId + "; nodes: " + nodeIds());
        }
        KafkaRaftServer server;
        synchronized (this) {
            if (running.containsKey(nodeId)) {
                throw new IllegalStateException("kafka node " + nodeId + " is running already");
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            running.put(nodeId, server);
        }
        // Outside the lock: a start blocks until the quorum answers, and other nodes start meanwhile.
        server.startup();
    }
}
