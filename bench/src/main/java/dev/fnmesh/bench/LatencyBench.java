package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.launcher.Mesh;
import dev.fnmesh.launcher.MeshOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency at a steady rate: Kafka to echo function to reply topic, a hand-written consume-produce
 * loop (the bar) against an fnmesh trigger, one after the other on the same broker. Each event's latency runs
 * from the moment it was handed to the producer to the moment a consumer of the reply topic read its reply.
 */
@Command(name = "LatencyBench", mixinStandardHelpOptions = true,
    description = "Kafka -> echo function -> reply topic latency at a steady rate: baseline loop vs fnmesh.")
public final class LatencyBench implements Callable<Integer> {

  private static final List<String> PIPELINES = List.of("baseline", "fnmesh");

  @Option(names = "--rate", description = "Events per second (default: ${DEFAULT-VALUE}).")
  int rate = 5000;

  @Option(names = "--seconds", description = "Measured seconds per pipeline (default: ${DEFAULT-VALUE}).")
  int seconds = 60;

  @Option(names = "--warmup-seconds", description = "Seconds at the rate before the measured ones, per pipeline "
      + "(default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 10;

  @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions = 8;

  @Option(names = "--data-bytes", description = "Size of each event's JSON data (default: ${DEFAULT-VALUE}).")
  int dataBytes = 256;

  @Option(names = "--pipelines", split = ",", description = "Which to run, in this order (default: baseline,fnmesh).")
  List<String> pipelines = List.of("baseline", "fnmesh");

  @Option(names = "--replicas", description = "Pin the fnmesh trigger to this many replicas (scale min = max); "
      + "default: the mesh's own scaling.")
  Integer replicas;

  @Option(names = "--bootstrap", description = "Use this running Kafka instead of a broker embedded in the bench's JVM.")
  String bootstrap;

  @Option(names = "--alternate-seconds", description = "Run the pipelines side by side and send to each in turn for "
      + "this many seconds, so that both meet the same load from other processes; 0 runs one after the other "
      + "(default: ${DEFAULT-VALUE}).")
  int alternateSeconds = 0;

  @Option(names = "--drain-seconds", description = "How long to wait for the last replies (default: ${DEFAULT-VALUE}).")
  int drainSeconds = 30;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LatencyBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String pipeline : pipelines) {
      if (!PIPELINES.contains(pipeline)) {
        System.err.println("--pipelines takes " + PIPELINES + ", got '" + pipeline + "'");
        return 2;
      }
    }
    BenchEvents sample = new BenchEvents(dataBytes);
    System.out.printf(Locale.ROOT, "LatencyBench rate=%d seconds=%d warmupSeconds=%d partitions=%d dataBytes=%d "
            + "pipelines=%s%s%s broker=%s %s%n", rate, seconds, warmupSeconds, partitions, dataBytes, pipelines,
        replicas != null ? " replicas=" + replicas : "", alternateSeconds > 0 ? " alternateSeconds=" + alternateSeconds
            : "", bootstrap == null ? "embedded" : bootstrap, HostInfo.describe());
    String loadBefore = HostInfo.loadAverage();
    List<LatencyResult> results = new ArrayList<>();
    // Topics of their own per run, so that runs against the same --bootstrap do not read each other's replies.
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (GcPauses gc = new GcPauses();
        BenchKafka kafka = bootstrap == null ? BenchKafka.start() : BenchKafka.connect(bootstrap);
        TempDirectory work = TempDirectory.create("fnmesh-bench")) {
      if (alternateSeconds > 0) {
        results.addAll(run(kafka, work.path(), pipelines, "latency." + run, rate * alternateSeconds, sample, gc));
      } else {
        for (String pipeline : pipelines) {
          results.addAll(run(kafka, work.path(), List.of(pipeline), "latency." + run, Integer.MAX_VALUE, sample, gc));
        }
      }
    }
    System.out.println();
    ResultTable table = new ResultTable("pipeline", "events", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "missing",
        "duplicates", "GCs", "GC ms");
    for (LatencyResult result : results) {
      table.row(result.name(), result.latencies().length, ms(result.percentile(0.50)), ms(result.percentile(0.99)),
          ms(result.percentile(0.999)), ms(result.max()), result.missing(), result.duplicates(), result.gcs(),
          result.gcMillis());
    }
    table.print(System.out);
    for (LatencyResult result : results) {
      System.out.printf(Locale.ROOT, "%nslowest %d windows of %d ms of send time, %s:%n", LatencyResult.STALLS_SHOWN,
          LatencyResult.WINDOW_NANOS / 1_000_000, result.name());
      result.stalls().print(System.out);
    }
    System.out.println();
    System.out.println(summary(results, loadBefore, HostInfo.loadAverage()));
    return results.stream().anyMatch(r -> r.missing() > 0) ? 1 : 0;
  }

  /**
   * Runs the pipelines at once, the producer writing {@code slotEvents} events to each in turn (one pipeline
   * alone when sequential), and measures each on the events it got.
   */
  private List<LatencyResult> run(BenchKafka kafka, Path work, List<String> chosen, String topicPrefix, int slotEvents,
      BenchEvents sample, GcPauses gc) throws Exception {
    List<String> inputs = chosen.stream().map(p -> topicPrefix + "." + p + ".in").toList();
    List<String> outputs = chosen.stream().map(p -> topicPrefix + "." + p + ".out").toList();
    for (int i = 0; i < chosen.size(); i++) {
      kafka.createTopic(inputs.get(i), partitions);
      kafka.createTopic(outputs.get(i), partitions);
    }
    int warmup = rate * warmupSeconds;
    String label = String.join("+", chosen);
    PacedProducer events = new PacedProducer(kafka.settings(), sample, inputs, slotEvents, label, rate,
        warmup + rate * seconds);
    List<AutoCloseable> running = new ArrayList<>();
    try (ReplyClock clock = new ReplyClock(kafka.settings(), outputs, partitions, events)) {
      for (int i = 0; i < chosen.size(); i++) {
        running.add(startPipeline(kafka, work, chosen.get(i), inputs.get(i), outputs.get(i)));
        awaitAnswer(kafka.settings(), sample, inputs.get(i), outputs.get(i), clock, chosen.get(i));
      }
      System.out.printf(Locale.ROOT, "%s answer%s; %d s at %d events/s%s, the first %d s unmeasured%n", label,
          chosen.size() == 1 ? "s" : "", warmupSeconds + seconds, rate, chosen.size() == 1 ? ""
              : ", " + slotEvents / rate + " s to each in turn", warmupSeconds);
      events.start();
      long measuredFrom = waitUntilSent(events, warmup);
      long measuredFromEpochMillis = System.currentTimeMillis() - (System.nanoTime() - measuredFrom) / 1_000_000;
      events.await();
      long measuredUntilEpochMillis = System.currentTimeMillis();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
      while (clock.replied() < events.count() && System.nanoTime() < deadline) {
        clock.checkFailure();
        TimeUnit.MILLISECONDS.sleep(20);
      }
      clock.close();
      clock.checkFailure();
      List<GcPauses.Pause> pauses = gc.between(measuredFromEpochMillis, measuredUntilEpochMillis);
      long slotMillis = slotEvents * 1000L / rate;
      List<LatencyResult> results = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        int index = i;
        // A collection counts for the pipeline whose turn it was when it began.
        List<GcPauses.Pause> its = pauses.stream().filter(p -> chosen.size() == 1
            || ((p.startEpochMillis() - measuredFromEpochMillis) / slotMillis + warmup / slotEvents) % chosen.size()
            == index).toList();
        LatencyResult result = LatencyResult.of(chosen.get(i), events, clock, n -> n >= warmup && events.topicOf(n) == index,
            measuredFrom, its, gc);
        System.out.printf(Locale.ROOT, "%s done: %s loadavg=%s%n", result.name(), result.line(),
            HostInfo.loadAverage());
        results.add(result);
      }
      return results;
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
    }
  }

  private AutoCloseable startPipeline(BenchKafka kafka, Path work, String pipeline, String input, String output)
      throws Exception {
    if (pipeline.equals("baseline")) {
      BaselinePipeline baseline = new BaselinePipeline(kafka.settings(), input, output, "bench-" + input);
      baseline.start();
      return baseline;
    }
    Path meshFile = work.resolve("latency-mesh-" + input + ".yaml");
    Files.writeString(meshFile, meshYaml(input, output));
    MeshOptions options = BenchMesh.options(meshFile, Optional.of(kafka.bootstrapServers()),
        Files.createDirectories(work.resolve("mesh-data-" + input)));
    return Mesh.start(options);
  }

  private String meshYaml(String input, String output) {
    String scale = replicas == null ? "" : "    scale: { min: %d, max: %d }\n".formatted(replicas, replicas);
    return """
        functions:
          echo: { java: echo }
        triggers:
          bench:
            kafka: { topic: %s, partitions: %d }
            function: echo
            reply: { topic: %s }
        """.formatted(input, partitions, output) + scale;
  }

  /** Sends a probe every half second until a reply of any kind is readable: the pipeline's consumer is assigned. */
  private static void awaitAnswer(KafkaSettings kafka, BenchEvents sample, String input, String output,
      ReplyClock clock, String pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig("bench-probe-" + input))) {
      for (int probe = 0; !clock.answered(output); probe++) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(pipeline + " did not answer a probe event within 120 s");
        }
        String id = "probe-" + probe;
        producer.send(CloudEventRecords.toRecord(input, sample.event(id), id.getBytes(StandardCharsets.UTF_8)));
        for (int wait = 0; wait < 25 && !clock.answered(output); wait++) {
          clock.checkFailure();
          TimeUnit.MILLISECONDS.sleep(20);
        }
      }
    }
  }

  /** Waits until event {@code n} was sent and returns when. */
  private static long waitUntilSent(PacedProducer events, int n) throws InterruptedException {
    while (events.sentNanos(n) == 0) {
      TimeUnit.MILLISECONDS.sleep(1);
    }
    return events.sentNanos(n);
  }

  /** The line the coordinator compares runs by: every figure of both pipelines, their ratios and the load. */
  private String summary(List<LatencyResult> results, String loadBefore, String loadAfter) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "SUMMARY LatencyBench rate=%d seconds=%d%s%s",
        rate, seconds, replicas != null ? " replicas=" + replicas : "",
        alternateSeconds > 0 ? " alternate-seconds=" + alternateSeconds : ""));
    for (LatencyResult result : results) {
      line.append(" | ").append(result.name()).append(' ').append(result.line());
    }
    Optional<LatencyResult> bar = results.stream().filter(r -> r.name().equals("baseline")).findFirst();
    Optional<LatencyResult> fnmesh = results.stream().filter(r -> r.name().equals("fnmesh")).findFirst();
    if (bar.isPresent() && fnmesh.isPresent()) {
      line.append(String.format(Locale.ROOT, " | fnmesh/baseline p50 %.2f p99 %.2f p99.9 %.2f max %.2f (bar 1.20)",
          ratio(fnmesh.get(), bar.get(), 0.50), ratio(fnmesh.get(), bar.get(), 0.99),
          ratio(fnmesh.get(), bar.get(), 0.999), (double) fnmesh.get().max() / bar.get().max()));
    }
    return line.append(" | loadavg ").append(loadBefore).append(" -> ").append(loadAfter).toString();
  }

  private static double ratio(LatencyResult a, LatencyResult b, double quantile) {
    return (double) a.percentile(quantile) / b.percentile(quantile);
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
