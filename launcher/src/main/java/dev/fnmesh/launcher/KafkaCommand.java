package dev.fnmesh.launcher;

import dev.fnmesh.kafka.embedded.EmbeddedKafka;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code fnmesh kafka}: only the embedded broker, for hosts and a controller to share. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Start only the embedded single-node Kafka broker (KRaft), for hosts and a controller to share.")
final class KafkaCommand implements Callable<Integer> {

  @Option(names = "--kafka-port", description = "Port of the broker (default: ${DEFAULT-VALUE}).")
  int kafkaPort = 9092;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the broker keeps its data (default: .fnmesh).")
  Path dataDir = Main.HOME.resolve(".fnmesh");

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedKafka broker;
    try {
      broker = EmbeddedKafka.start(new EmbeddedKafkaConfig(dataDir.resolve("kafka"), kafkaPort));
    } catch (RuntimeException e) {
      System.err.println("fnmesh kafka: " + e.getMessage());
      return 1;
    }
    return Main.runUntilStopped(broker, String.format("fnmesh kafka is up%n  Kafka: %s (data in %s)%n",
        broker.bootstrapServers(), dataDir.resolve("kafka")));
  }
}
