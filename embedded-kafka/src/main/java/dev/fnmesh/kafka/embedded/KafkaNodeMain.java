package dev.fnmesh.kafka.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka node as a JVM of its own, started by {@link KafkaProcessCluster}: {@code KafkaNodeMain <server.properties>}
 * on a formatted directory. SIGTERM stops it cleanly (controlled shutdown); SIGKILL is a crash. It also stops once its
 * standard input ends, which happens when the process that started it is gone however it ended, so that a node
 * never outlives its cluster's owner.
 */
public final class KafkaNodeMain {

    // A clean stop waits for the controller quorum; with the quorum gone as well it would wait far longer.
    private static final long STOP_LIMIT_SECONDS = 20;

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KafkaNodeMain <server.properties>");
            System.exit(2);
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            props.load(in);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "fnmesh-kafka-node-stop"));
        Thread orphanWatch = new Thread(KafkaNodeMain::exitWhenInputEnds, "fnmesh-kafka-node-parent-watch");
        orphanWatch.setDaemon(true);
        orphanWatch.start();
        server.startup();
        server.awaitShutdown();
    }

    private static void stop(KafkaRaftServer server) {
        Thread limit = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(STOP_LIMIT_SECONDS);
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fnmesh-kafka-node-stop-limit");
        limit.setDaemon(true);
        limit.start();
        server.shutdown();
        server.awaitShutdown();
    }

    private static void exitWhenInputEnds() {
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // Nothing is ever written to a node; only the end of the stream matters.
            }
        } catch (IOException e) {
            // A broken pipe is an end as well.
        }
        System.exit(0);
    }
}
