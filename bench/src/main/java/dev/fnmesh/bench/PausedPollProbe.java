package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A diagnostic for the trigger's backpressure: how long {@code poll(100 ms)} takes, and how much CPU it
 * uses, while every assigned partition is paused, with fnmesh's consumer settings and each group protocol.
 * fnmesh's consumer loop polls in exactly this state until its pending events drop below half the limit.
 */
@Command(name = "PausedPollProbe", mixinStandardHelpOptions = true,
    description = "Measures poll(100ms) while all partitions are paused, per group protocol.")
public final class PausedPollProbe implements Callable<Integer> {

  @Option(names = "--events", description = "Events in the topic (default: ${DEFAULT-VALUE}).")
  int events = 50_000;

  @Option(names = "--polls", description = "Paused polls to time (default: ${DEFAULT-VALUE}).")
  int polls = 20;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PausedPollProbe()).execute(args));
  }

  @Override
  public Integer call() {
    System.out.println("PausedPollProbe " + HostInfo.describe());
    ResultTable table = new ResultTable("group.protocol", "records before pause", "paused polls", "wall ms/poll",
        "cpu ms/poll", "records returned while paused");
    try (BenchKafka kafka = BenchKafka.start()) {
      kafka.createTopic("bench.paused", 8);
      new TopicFiller(kafka.settings(), new BenchEvents(100)).fill("bench.paused", events);
      for (String protocol : List.of("consumer", "classic")) {
        probe(kafka.settings(), protocol, table);
      }
    }
    System.out.println();
    System.out.println("result:");
    table.print(System.out);
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return 0;
  }

  private void probe(KafkaSettings kafka, String protocol, ResultTable table) {
    Map<String, Object> config = kafka.consumerConfig("bench-probe-" + protocol, "bench-probe-" + protocol, "earliest");
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of("bench.paused"));
      int before = 0;
      // Fetch until records flow, so that fetched-but-unreturned data is buffered when we pause.
      while (before < 5_000) {
        before += consumer.poll(Duration.ofMillis(100)).count();
      }
      consumer.pause(consumer.assignment());
      int returned = 0;
      long cpuStart = threads.getCurrentThreadCpuTime();
      long wallStart = System.nanoTime();
      for (int i = 0; i < polls; i++) {
        returned += consumer.poll(Duration.ofMillis(100)).count();
      }
      long wall = System.nanoTime() - wallStart;
      long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
      table.row(protocol, before, polls, String.format(Locale.ROOT, "%.1f", wall / 1e6 / polls),
          String.format(Locale.ROOT, "%.2f", cpu / 1e6 / polls), returned);
    }
  }
}
