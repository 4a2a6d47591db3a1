package dev.fnmesh.kafka.embedded;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Waits until brokers that were started take clients: each lists itself as a live node. */
final class BrokerReadiness {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofSeconds(2);
    private static final Duration READY_BACKOFF = Duration.ofMillis(50);

    private BrokerReadiness() {
    }

    /**
     * Blocks until the cluster at {@code bootstrapServers} lists at least {@code nodes} live brokers.
     *
     * @throws IllegalStateException when it does not within {@link #READY_TIMEOUT}
     */
    static void await(String bootstrapServers, int nodes) {
        await(bootstrapServers, nodes, () -> { });
    }

    /**
     * As {@link #await(String, int)}, running {@code stillStarting} before each try: it throws to give up early,
     * e.g. when a node's process exited.
     */
    static void await(String bootstrapServers, int nodes, Runnable stillStarting) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READY_POLL.toMillis(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_POLL.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                stillStarting.run();
                try {
                    // An unfenced broker lists itself; before that the metadata response has no nodes and
                    // topic creation would fail, so "connected" alone is not "ready".
                    int listed = admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs((int) READY_POLL.toMillis()))
                        .nodes().get(READY_POLL.toMillis(), TimeUnit.MILLISECONDS).size();
                    if (listed >= nodes) {
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
            throw new IllegalStateException("kafka at " + bootstrapServers + " did not list " + nodes
                + (nodes == 1 ? " broker" : " brokers") + " within " + READY_TIMEOUT.toSeconds() + " s", last);
        }
    }
}
