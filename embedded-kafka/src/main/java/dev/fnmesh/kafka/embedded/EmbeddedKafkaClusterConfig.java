package dev.fnmesh.kafka.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Where an {@link EmbeddedKafkaCluster} keeps its data, how many nodes it has and which ports they serve
 * clients on.
 *
 * @param dataDir the cluster's directory: each node keeps its log and metadata in {@code node-<id>} under it;
 *     reusing it across starts keeps topics and records
 * @param nodes how many nodes, each broker and controller
 * @param firstPort the PLAINTEXT client port of node 1 on 127.0.0.1, node n serving on {@code firstPort + n - 1};
 *     0 to pick free ports at start
 */
public record EmbeddedKafkaClusterConfig(Path dataDir, int nodes, int firstPort) {

    /** The replicas of Kafka's own topics: three, or one per node on a smaller cluster. */
    static final int INTERNAL_REPLICAS = 3;

    /** The most nodes of a cluster in one JVM; each takes some 35 MiB of heap and dozens of threads. */
    public static final int MAX_NODES = 9;

    public EmbeddedKafkaClusterConfig {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("a cluster has 1 to " + MAX_NODES + " nodes, got " + nodes);
        }
        if (firstPort < 0 || firstPort + nodes - 1 > 65_535) {
            throw new IllegalArgumentException("firstPort must be 0 (pick free ports) or leave room for " + nodes
                + " ports up to 65535, got " + firstPort);
        }
        // Kafka resolves log.dirs against the working directory; an absolute path keeps restarts on the same data.
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** A cluster on free ports picked at start. */
    public static EmbeddedKafkaClusterConfig withFreePorts(Path dataDir, int nodes) {
        return new EmbeddedKafkaClusterConfig(dataDir, nodes, 0);
    }

    /** 1 to {@link #nodes}. */
    public List<Integer> nodeIds() {
        return IntStream.rangeClosed(1, nodes).boxed().toList();
    }

    /** The directory of one node. */
    public Path nodeDir(int nodeId) {
        return dataDir.resolve("node-" + nodeId);
    }
}
