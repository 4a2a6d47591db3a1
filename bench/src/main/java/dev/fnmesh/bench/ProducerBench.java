package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ingress can get from Kafka at most: a closed loop that keeps {@code --in-flight} sends of single
 * events outstanding with fnmesh's producer settings (or overrides of them), the way concurrent HTTP
 * requests each waiting for their acknowledgement do. A diagnostic for IngressBench.
 */
@Command(name = "ProducerBench", mixinStandardHelpOptions = true,
    description = "Acknowledged sends/s and ack latency with N sends outstanding, fnmesh producer settings.")
public final class ProducerBench implements Callable<Integer> {

  @Option(names = "--in-flight", description = "Sends outstanding at any time (default: ${DEFAULT-VALUE}).")
  int inFlight = 64;

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
    System.out.printf(Locale.ROOT, "ProducerBench inFlight=%d warmup=%ds duration=%ds overrides=%s %s%n", inFlight,
        warmupSeconds, durationSeconds, overrides, HostInfo.describe());
    BenchEvents events = new BenchEvents(dataBytes);
    LatencyLog latencies = new LatencyLog();
    long from;
    long until;
    ResultTable cpuTable;
    try (BenchKafka kafka = BenchKafka.start()) {
      kafka.createTopic("bench.produce", 8);
      KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), overrides);
      Semaphore slots = new Semaphore(inFlight);
      AtomicLong failures = new AtomicLong();
      try (Producer<byte[], byte[]> producer = new KafkaProducer<>(settings.producerConfig("bench-producer"))) {
        from = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        until = from + TimeUnit.SECONDS.toNanos(durationSeconds);
        ThreadCpu cpu = null;
        long sequence = 0;
        while (System.nanoTime() < until) {
          slots.acquire();
          long start = System.nanoTime();
          if (cpu == null && start >= from) {
            cpu = ThreadCpu.start();
          }
          producer.send(CloudEventRecords.toRecord("bench.produce", events.event("p-" + sequence++), null),
              (metadata, failure) -> {
                // Callbacks run on the producer's one I/O thread, so the log needs no lock.
                if (failure != null) {
                  failures.incrementAndGet();
                } else if (start >= from) {
                  latencies.add(System.nanoTime() - start);
                }
                slots.release();
              });
        }
        // Every send answered: the I/O thread's writes to the log happen-before this.
        slots.acquire(inFlight);
        cpuTable = cpu == null ? new ResultTable("thread group") : cpu.table(6);
        if (failures.get() > 0) {
          System.out.println("failed sends: " + failures.get());
        }
      }
    }
    print(latencies.sorted(), until - from, cpuTable);
    return 0;
  }

  private void print(long[] latencies, long windowNanos, ResultTable cpu) {
    ResultTable table = new ResultTable("in flight", "overrides", "acked sends", "sends/s", "p50 ms", "p99 ms", "max ms");
    table.row(inFlight, overrides.isEmpty() ? "-" : overrides, latencies.length,
        ResultTable.rate(latencies.length / (windowNanos / 1e9)), ResultTable.millis(quantile(latencies, 0.5)),
        ResultTable.millis(quantile(latencies, 0.99)), ResultTable.millis(quantile(latencies, 1.0)));
    System.out.println();
    System.out.println("result:");
    table.print(System.out);
    System.out.println();
    System.out.println("CPU by thread while measured:");
    cpu.print(System.out);
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
  }

  /** Latencies appended by one thread at a time. */
  private static final class LatencyLog {
    private long[] values = new long[1 << 16];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }
}
