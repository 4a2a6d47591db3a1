package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the ingress can get from Kafka at most, alone: a closed loop that keeps {@code --in-flight} sends
 * outstanding with fnmesh's producer settings (or overrides of them), the way concurrent HTTP requests each
 * waiting for their acknowledgement do. IngressBench runs the same load beside the ingress (target
 * {@code producer}); this one is for trying producer settings.
 */
@Command(name = "ProducerBench", mixinStandardHelpOptions = true,
    description = "Acknowledged sends/s and ack latency with N sends outstanding, fnmesh producer settings.")
public final class ProducerBench implements Callable<Integer> {

  @Option(names = "--in-flight", description = "Sends outstanding at any time (default: ${DEFAULT-VALUE}).")
  int inFlight = 64;

  @Option(names = "--events-per-send", description = "Events per outstanding send, which is done once the last "
      + "is acknowledged (default: ${DEFAULT-VALUE}).")
  int eventsPerSend = 1;

  @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds = 10;

  @Option(names = "--warmup", description = "Unmeasured seconds before that (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 3;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Producer setting overriding fnmesh's, repeatable, "
      + "e.g. --set linger.ms=0")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--data-bytes", description = "Size of each event's JSON data (default: ${DEFAULT-VALUE}).")
  int dataBytes = 100;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProducerBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.printf(Locale.ROOT, "ProducerBench inFlight=%d eventsPerSend=%d warmup=%ds duration=%ds overrides=%s %s%n",
        inFlight, eventsPerSend, warmupSeconds, durationSeconds, overrides, HostInfo.describe());
    LoadGenerator.LoadResult result;
    ResultTable cpu;
    try (BenchKafka kafka = BenchKafka.start()) {
      kafka.createTopic("bench.produce", 8);
      KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), overrides);
      ProducerLoad load = new ProducerLoad(settings.producerConfig("bench-producer"), "bench.produce", inFlight,
          eventsPerSend, new BenchEvents(dataBytes));
      CompletableFuture<LoadGenerator.LoadResult> running = load.start(Duration.ofSeconds(warmupSeconds),
          Duration.ofSeconds(durationSeconds));
      TimeUnit.SECONDS.sleep(warmupSeconds);
      ThreadCpu threads = ThreadCpu.start();
      result = running.get(durationSeconds + 120L, TimeUnit.SECONDS);
      cpu = threads.table(6);
      load.close();
    }
    ResultTable table = new ResultTable("in flight", "events/send", "overrides", "acked sends", "sends/s", "events/s",
        "p50 ms", "p99 ms", "max ms", "failed");
    table.row(inFlight, eventsPerSend, overrides.isEmpty() ? "-" : overrides, result.requests(),
        ResultTable.rate(result.requestsPerSecond()), ResultTable.rate(result.eventsPerSecond()),
        ResultTable.millis(result.latency(0.5)), ResultTable.millis(result.latency(0.99)),
        ResultTable.millis(result.latency(1.0)), result.errors());
    System.out.println();
    System.out.println("result:");
    table.print(System.out);
    System.out.println();
    System.out.println("CPU by thread while measured:");
    cpu.print(System.out);
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return 0;
  }
}
