package dev.fnmesh.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka cluster whose nodes each run in a JVM of their own, children of this one (the same
 * classpath, {@link KafkaNodeMain}): combined broker and controller nodes, all voters of the controller quorum, as
 * {@link EmbeddedKafkaCluster} has them. Apart from a clean stop, a node can be killed with SIGKILL, as a machine
 * or a process dies, and started again on its data and ports. Nodes never outlive this JVM: a shutdown hook ends
 * them, and a node whose parent died without running it ends as its standard input closes. Methods may be called
 * from any thread.
 */
public final class KafkaProcessCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProcessCluster.class);
    /** A node's JVM options: ~35 MiB of heap are used (STACK.md); C1 alone starts faster and takes less memory. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx192m", "-Xss512k", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=128m", "-Djava.awt.headless=true");
    private static final long STOP_WAIT_SECONDS = 30;

    private final EmbeddedKafkaClusterConfig config;
    private final String bootstrapServers;
    private final Thread shutdownHook = new Thread(this::endAll, "fnmesh-kafka-nodes-shutdown");
    // Guarded by this: the node processes started and not stopped, by node id.
    private final Map<Integer, Process> running = new TreeMap<>();

    private KafkaProcessCluster(EmbeddedKafkaClusterConfig config, String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats the nodes' directories that are not formatted yet, starts a JVM per node and blocks until each node
     * is listed as a live broker.
     *
     * @throws IllegalStateException if a node cannot be formatted or started, or the cluster is not ready within
     *     60 s (what did start is ended again)
     */
    public static KafkaProcessCluster start(EmbeddedKafkaClusterConfig config) {
        long startNanos = System.nanoTime();
        List<Integer> ids = config.nodeIds();
        EmbeddedKafkaCluster.refuseAnotherSize(config);
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
        for (int id : ids) {
            Properties props = EmbeddedKafkaCluster.withShortSessions(BrokerProperties.node(config.nodeDir(id), id,
                clientPorts.get(id), controllerPorts.get(id), voters, replicas));
            write(propertiesFile(config, id), props);
        }
        String bootstrap = clientPorts.values().stream().map(port -> "127.0.0.1:" + port)
            .collect(Collectors.joining(","));
        KafkaProcessCluster cluster = new KafkaProcessCluster(config, bootstrap);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            // All at once: a node's start waits for the controller quorum, which needs most nodes running.
            ids.forEach(cluster::launch);
            cluster.awaitListed(ids.size());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("kafka cluster started nodes={} processes={} bootstrapServers={} dataDir={} startMs={}", ids.size(),
            cluster.pids(), bootstrap, config.dataDir(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return cluster;
    }

    /** The {@code bootstrap.servers} of every node, e.g. {@code 127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Every node's id, also its broker id in Kafka's metadata: 1 to the number of nodes. */
    public List<Integer> nodeIds() {
        return config.nodeIds();
    }

    /** The nodes whose process runs now. */
    public synchronized List<Integer> runningIds() {
        return List.copyOf(running.keySet());
    }

    /**
     * Stops one node cleanly (SIGTERM): its partitions' leadership moves to the other nodes first. Blocks until its
     * process ended.
     *
     * @throws IllegalStateException when the node is not running
     */
    public void stop(int nodeId) {
        Process process = take(nodeId);
        long startNanos = System.nanoTime();
        process.destroy();
        awaitEnd(nodeId, process);
        LOG.info("kafka node stopped node={} stopMs={}", nodeId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /**
     * Kills one node with SIGKILL: no controlled shutdown, no flush; its partitions get new leaders once the
     * controller fences it (a 4 s broker session). Blocks until its process ended.
     *
     * @throws IllegalStateException when the node is not running
     */
    public void kill(int nodeId) {
        Process process = take(nodeId);
        process.destroyForcibly();
        awaitEnd(nodeId, process);
        LOG.info("kafka node killed node={} pid={}", nodeId, process.pid());
    }

    /**
     * Starts a stopped or killed node again, on its data and ports; blocks until the cluster lists every running
     * node.
     *
     * @throws IllegalStateException when the node is running already or is not listed within 60 s
     */
    public void start(int nodeId) {
        if (!nodeIds().contains(nodeId)) {
            throw new IllegalArgumentException("no kafka node " + nodeId + "; nodes: " + nodeIds());
        }
        launch(nodeId);
        awaitListed(runningIds().size());
        LOG.info("kafka node started again node={}", nodeId);
    }

    /** Ends every node at once (SIGTERM, SIGKILL for those still alive after 30 s); calling it again does nothing. */
    @Override
    public void close() {
        endAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs and finds nothing left.
        }
    }

    private void endAll() {
        List<Process> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
            running.clear();
        }
        // All at once: a node stopped last would wait for a controller quorum that left before it.
        all.forEach(Process::destroy);
        for (Process process : all) {
            try {
                if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (!all.isEmpty()) {
            LOG.info("kafka cluster stopped bootstrapServers={}", bootstrapServers);
        }
    }

    private synchronized void launch(int nodeId) {
        if (running.containsKey(nodeId)) {
            throw new IllegalStateException("kafka node " + nodeId + " is running already");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(),
            propertiesFile(config, nodeId).toString()));
        try {
            // Standard input stays a pipe from this JVM: its end tells the node that its parent is gone.
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(nodeId).toFile())).start();
            running.put(nodeId, process);
        } catch (IOException e) {
            throw new IllegalStateException("kafka node " + nodeId + " could not be started: " + e.getMessage(), e);
        }
    }

    private synchronized Process take(int nodeId) {
        Process process = running.remove(nodeId);
        if (process == null) {
            throw new IllegalStateException("kafka node " + nodeId + " is not running; running: " + running.keySet());
        }
        return process;
    }

    private void awaitEnd(int nodeId, Process process) {
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("kafka node did not stop within {} s, killing it node={}", STOP_WAIT_SECONDS, nodeId);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while kafka node " + nodeId + " stopped", e);
        }
    }

    private void awaitListed(int nodes) {
        BrokerReadiness.await(bootstrapServers, nodes, () -> {
            synchronized (this) {
                running.forEach((id, process) -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("kafka node " + id + " exited with status " + process.exitValue()
                            + " while starting; its output is in " + logFile(id));
                    }
                });
            }
        });
    }

    private synchronized List<Long> pids() {
        return running.values().stream().map(Process::pid).toList();
    }

    private Path logFile(int nodeId) {
        return config.dataDir().resolve("node-" + nodeId + ".log");
    }

    private static Path propertiesFile(EmbeddedKafkaClusterConfig config, int nodeId) {
        return config.dataDir().resolve("node-" + nodeId + ".properties");
    }

    private static void write(Path file, Properties props) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "kafka node of fnmesh, written at each start of the cluster");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
