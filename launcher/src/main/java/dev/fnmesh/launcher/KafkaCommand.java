package dev.fnmesh.launcher;

import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaClusterConfig;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import dev.fnmesh.kafka.embedded.KafkaProcessCluster;
import dev.fnmesh.launcher.logging.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code fnmesh kafka}: only the embedded broker, or a cluster of them, for hosts and a controller to share. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Start only embedded Kafka (KRaft), one broker or a cluster of them, for hosts and a controller to share.")
final class KafkaCommand implements Callable<Integer> {

  @Option(names = "--kafka-port", description = "Port of the broker, of the first one of a cluster (default: ${DEFAULT-VALUE}).")
  int kafkaPort = 9092;

  @Option(names = "--brokers", paramLabel = "N",
      description = "Brokers (each also a controller) of a cluster, each a child process of this one that ends with it,"
          + " on --kafka-port and the ports after it (default: ${DEFAULT-VALUE}).")
  int brokers = 1;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the brokers keep their data: kafka/ for one broker, kafka-cluster/ for a cluster (default: .fnmesh).")
  Path dataDir = Main.HOME.resolve(".fnmesh");

  @Mixin
  LogOptions logging = new LogOptions();

  @Override
  public Integer call() throws InterruptedException {
    logging.apply();
    AutoCloseable running;
    String banner;
    try {
      if (brokers == 1) {
        EmbeddedKafka broker = EmbeddedKafka.start(new EmbeddedKafkaConfig(dataDir.resolve("kafka"), kafkaPort));
        running = broker;
        banner = String.format("fnmesh kafka is up%n  Kafka: %s (data in %s)%n", broker.bootstrapServers(),
            dataDir.resolve("kafka"));
      } else {
        EmbeddedKafkaClusterConfig config = new EmbeddedKafkaClusterConfig(dataDir.resolve("kafka-cluster"), brokers,
            kafkaPort);
        KafkaProcessCluster cluster = KafkaProcessCluster.start(config);
        running = cluster;
        banner = String.format("fnmesh kafka is up%n  Kafka: %s (%d brokers, processes, data in %s)%n",
            cluster.bootstrapServers(), brokers, config.dataDir());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("fnmesh kafka: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("fnmesh kafka: " + e.getMessage());
      return 1;
    }
    return Main.runUntilStopped(running, banner);
  }
}
