package dev.fnmesh.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft data directory once, the in-process equivalent of {@code kafka-storage.sh format}.
 * The cluster id lives in the directory's {@code meta.properties}, so a restart on the same directory
 * finds the same cluster and its records.
 */
final class KRaftStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KRaftStorage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private KRaftStorage() {
    }

    /** Formats {@code dataDir} unless it already holds a formatted node; never reformats existing data. */
    static void formatIfNeeded(Path dataDir) {
        formatIfNeeded(dataDir, BrokerProperties.NODE_ID, Uuid.randomUuid().toString());
    }

    /** A new cluster id, or the one of a node already formatted in one of these directories. */
    static String clusterIdOf(List<Path> nodeDirs) {
        for (Path dir : nodeDirs) {
            Path meta = dir.resolve(META_PROPERTIES);
            if (Files.exists(meta)) {
                Properties properties = new Properties();
                try (Reader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                    properties.load(in);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + meta, e);
                }
                return properties.getProperty("cluster.id");
            }
        }
        return Uuid.randomUuid().toString();
    }

    /**
     * Formats {@code dataDir} as the given node of the given cluster unless it already holds a formatted node;
     * never reformats existing data.
     */
    static void formatIfNeeded(Path dataDir, int nodeId, String clusterId) {
        if (Files.exists(dataDir.resolve(META_PROPERTIES))) {
            LOG.info("kafka storage already formatted dataDir={}", dataDir);
            return;
        }
        // The Formatter prints its progress to a stream; keep it out of stdout and hand it to the log.
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(dataDir);
            new Formatter()
                .setPrintStream(printStream)
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                .run();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create kafka data directory dataDir=" + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format kafka storage dataDir=" + dataDir
                + " output=" + output.toString(StandardCharsets.UTF_8).strip(), e);
        }
        LOG.info("kafka storage formatted dataDir={} clusterId={} metadataVersion={}",
            dataDir, clusterId, MetadataVersion.LATEST_PRODUCTION);
        LOG.debug("kafka storage formatter output={}", output.toString(StandardCharsets.UTF_8).strip());
    }
}
