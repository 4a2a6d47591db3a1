package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.launcher.Mesh;
import dev.fnmesh.mesh.KafkaSource;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP ingress throughput and latency: a closed-loop load generator against fnmesh's {@code POST /topics/bench},
 * which answers 202 only once Kafka acknowledged the events, beside its ceiling, a bare Kafka producer on the
 * same broker keeping as many sends outstanding as there are connections, and a bare Vert.x server.
 * Everything runs in this JVM: load generator, server, producer and the mesh's embedded broker.
 */
@Command(name = "IngressBench", mixinStandardHelpOptions = true,
    description = "HTTP ingress throughput: fnmesh POST /topics/{topic} vs a bare producer and a bare Vert.x server.")
public final class IngressBench implements Callable<Integer> {

  private static final Set<String> TARGETS = Set.of("producer", "bare", "fnmesh", "producer-batch", "bare-batch",
      "fnmesh-batch", "ingress", "ingress-batch");
  private static final String TOPIC = "bench";
  private static final String INGRESS_TOPIC = "bench-ingress";
  private static final String PRODUCER_TOPIC = "bench-producer";
  /** fnmesh's share of the producer's rate it should reach, one event per request and in batches. */
  private static final double SINGLE_BAR = 0.9;
  private static final double BATCH_BAR = 0.7;
  /** How many times the producer's p99 fnmesh's p99 may be, one event per request. */
  private static final double P99_BAR = 3.0;

  @Option(names = "--connections", description = "Concurrent keep-alive connections (default: ${DEFAULT-VALUE}).")
  int connections = 64;

  @Option(names = "--duration", description = "Measured seconds per target (default: ${DEFAULT-VALUE}).")
  int durationSeconds = 10;

  @Option(names = "--warmup", description = "Unmeasured seconds before that (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 5;

  @Option(names = "--targets", split = ",", description = "In this order, from producer (a bare Kafka producer, "
      + "--connections single-event sends outstanding), bare, fnmesh (binary mode, one event per request), "
      + "producer-batch (--batch-size events per outstanding send), bare-batch, fnmesh-batch "
      + "(application/cloudevents-batch+json), and the diagnostics ingress, ingress-batch "
      + "(default: producer,fnmesh,producer-batch,fnmesh-batch).")
  List<String> targets = List.of("producer", "fnmesh", "producer-batch", "fnmesh-batch");

  @Option(names = "--ingress-set", paramLabel = "KEY=VALUE", description = "Kafka client setting of the diagnostic "
      + "targets ingress and ingress-batch (fnmesh's TopicIngress alone, on the mesh's broker), repeatable, e.g. "
      + "--ingress-set linger.ms=0")
  Map<String, String> ingressOverrides = new LinkedHashMap<>();

  @Option(names = "--rounds", description = "Runs the targets this many times, in turn; ratios are taken within "
      + "each round. The first round also warms the JVM up (JIT), which takes fnmesh's ingress about 15 s "
      + "(default: ${DEFAULT-VALUE}).")
  int rounds = 2;

  @Option(names = "--batch-size", description = "Events per batch request (default: ${DEFAULT-VALUE}).")
  int batchSize = 100;

  @Option(names = "--data-bytes", description = "Size of each event's JSON data (default: ${DEFAULT-VALUE}).")
  int dataBytes = 100;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngressBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String target : targets) {
      if (!TARGETS.contains(target)) {
        System.err.println("--targets takes " + TARGETS + ", got '" + target + "'");
        return 2;
      }
    }
    System.out.printf(Locale.ROOT, "IngressBench connections=%d warmup=%ds duration=%ds targets=%s rounds=%d "
        + "batchSize=%d dataBytes=%d ingressOverrides=%s %s%n", connections, warmupSeconds, durationSeconds, targets,
        rounds, batchSize, dataBytes, ingressOverrides, HostInfo.describe());
    BenchEvents events = new BenchEvents(dataBytes);
    Buffer batchBody = events.batch("batch-", batchSize);
    MultiMap batchHeaders = MultiMap.caseInsensitiveMultiMap().add("content-type", BenchEvents.BATCH_CONTENT_TYPE);
    // The generator gets as many event loops as there are cores; the servers run on their own Vert.x.
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    Vertx bareVertx = Vertx.vertx();
    List<Run> runs = new ArrayList<>();
    long meshAccepted = 0;
    Long meshRecords = null;
    try (TempDirectory work = TempDirectory.create("fnmesh-bench-ingress")) {
      BareServer bare = null;
      Mesh mesh = null;
      IngressOnly ingress = null;
      boolean producerTopic = false;
      try {
        List<String> schedule = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          schedule.addAll(targets);
        }
        for (int i = 0; i < schedule.size(); i++) {
          String target = schedule.get(i);
          int round = i / targets.size() + 1;
          boolean batch = target.endsWith("-batch");
          if (target.startsWith("producer")) {
            // The bare producer writes to the mesh's broker, to a topic of its own, with the mesh's settings.
            mesh = mesh != null ? mesh : startMesh(work.path());
            if (!producerTopic) {
              try (Admin admin = Admin.create(KafkaSettings.of(mesh.bootstrapServers()).adminConfig("bench-producer"))) {
                BenchKafka.createTopic(admin, PRODUCER_TOPIC, KafkaSource.DEFAULT_PARTITIONS);
              }
              producerTopic = true;
            }
            ProducerLoad load = new ProducerLoad(KafkaSettings.of(mesh.bootstrapServers()).producerConfig(
                "bench-" + target), PRODUCER_TOPIC, connections, batch ? batchSize : 1, events);
            runs.add(measure(target, round, () -> load.start(Duration.ofSeconds(warmupSeconds),
                Duration.ofSeconds(durationSeconds)), Set::of, load::close));
            continue;
          }
          int port;
          String path;
          if (target.startsWith("bare")) {
            bare = bare != null ? bare : await(BareServer.start(bareVertx));
            port = bare.port();
            path = "/";
          } else if (target.startsWith("fnmesh")) {
            mesh = mesh != null ? mesh : startMesh(work.path());
            port = mesh.httpPort();
            path = "/topics/" + TOPIC;
          } else {
            // The diagnostic ingress writes to the mesh's broker, to a topic of its own.
            mesh = mesh != null ? mesh : startMesh(work.path());
            ingress = ingress != null ? ingress : new IngressOnly(mesh.bootstrapServers(), ingressOverrides, INGRESS_TOPIC);
            port = ingress.port();
            path = "/topics/" + INGRESS_TOPIC;
          }
          Buffer data = events.data();
          LoadGenerator.Requests requests = batch
              ? (worker, sequence) -> new LoadGenerator.Request(batchHeaders, batchBody, batchSize)
              : (worker, sequence) -> new LoadGenerator.Request(events.binaryHeaders(worker + "-" + sequence), data, 1);
          LoadGenerator generator = new LoadGenerator(clientVertx, port, path, connections, 202, requests);
          Run run = measure(target, round, () -> generator.run(Duration.ofSeconds(warmupSeconds),
              Duration.ofSeconds(durationSeconds)).toCompletionStage().toCompletableFuture(), generator::threadIds,
              generator::close);
          runs.add(run);
          if (target.startsWith("fnmesh")) {
            meshAccepted += run.result().acceptedEvents();
          }
        }
        if (targets.stream().anyMatch(target -> target.startsWith("fnmesh"))) {
          meshRecords = recordCount(mesh.bootstrapServers());
        }
      } finally {
        if (ingress != null) {
          ingress.close();
        }
        if (mesh != null) {
          mesh.close();
        }
        if (bare != null) {
          await(bare.close());
        }
      }
    } finally {
      await(clientVertx.close());
      await(bareVertx.close());
    }
    print(runs, meshAccepted, meshRecords);
    return 0;
  }

  /**
   * @param start starts the load, which runs the warm-up and then the measured window
   * @param loadThreads the ids of the load's own threads, shown apart in the CPU table; read once measured
   */
  private Run measure(String target, int round, Supplier<CompletableFuture<LoadGenerator.LoadResult>> start,
      Supplier<Set<Long>> loadThreads, Runnable close) throws Exception {
    System.out.printf(Locale.ROOT, "%s (round %d): %d s warm-up, %d s measured...%n", target, round, warmupSeconds,
        durationSeconds);
    CompletableFuture<LoadGenerator.LoadResult> result = start.get();
    TimeUnit.SECONDS.sleep(warmupSeconds);
    ThreadCpu cpu = ThreadCpu.start();
    LoadGenerator.LoadResult measured = result.get(durationSeconds + 120L, TimeUnit.SECONDS);
    Set<Long> generatorThreads = loadThreads.get();
    long serverCpu = cpu.totalNanosExcept(generatorThreads);
    Map<Long, String> labels = new HashMap<>();
    generatorThreads.forEach(id -> labels.put(id, "load generator (its vert.x event loops)"));
    ResultTable cpuTable = cpu.table(8, labels);
    close.run();
    return new Run(target, round, measured, cpuTable, serverCpu, HostInfo.loadAverage());
  }

  private Mesh startMesh(Path work) throws Exception {
    Path meshFile = work.resolve("ingress-mesh.yaml");
    // No triggers: only the ingress runs, so the broker does nothing but take the ingress's writes.
    Files.writeString(meshFile, "functions:\n  echo: { java: echo }\ntopics:\n  " + TOPIC + ": {}\n");
    return Mesh.start(BenchMesh.options(meshFile, Optional.empty(), work.resolve("mesh-data")));
  }

  private static long recordCount(String bootstrapServers) {
    try (Admin admin = Admin.create(KafkaSettings.of(bootstrapServers).adminConfig("bench-ingress-check"))) {
      return BenchKafka.recordCount(admin, TOPIC, KafkaSource.DEFAULT_PARTITIONS);
    }
  }

  private void print(List<Run> runs, long meshAccepted, Long meshRecords) {
    System.out.println();
    System.out.println("result:");
    ResultTable table = new ResultTable("round", "target", "events/request", "connections", "requests", "requests/s",
        "events/s", "p50 ms", "p99 ms", "max ms", "errors", "cpu µs/event", "loadavg");
    for (Run run : runs) {
      LoadGenerator.LoadResult r = run.result();
      table.row(run.round(), run.target(), run.target().endsWith("-batch") ? batchSize : 1, connections, r.requests(),
          ResultTable.rate(r.requestsPerSecond()), ResultTable.rate(r.eventsPerSecond()),
          ResultTable.millis(r.latency(0.50)), ResultTable.millis(r.latency(0.99)), ResultTable.millis(r.latency(1.0)),
          r.errors(), run.cpuMicrosPerEvent(), run.loadAverage());
    }
    table.print(System.out);
    runs.stream().filter(run -> run.result().firstError() != null).forEach(run -> System.out.printf(Locale.ROOT,
        "%s (round %d): first error: %s%n", run.target(), run.round(), run.result().firstError()));
    if (meshRecords != null) {
      System.out.printf(Locale.ROOT, "durability check: fnmesh answered 202 for %d events; topic %s holds %d records%s%n",
          meshAccepted, TOPIC, meshRecords, meshRecords >= meshAccepted ? "" : "  <-- FEWER THAN ACKNOWLEDGED");
    }
    for (Run run : runs) {
      System.out.printf(Locale.ROOT, "%nCPU by thread while %s (round %d) was measured:%n", run.target(), run.round());
      run.cpu().print(System.out);
    }
    System.out.println();
    for (int round = 1; round <= rounds; round++) {
      System.out.println(summary(runs, round));
    }
  }

  /**
   * One line per round: fnmesh against its producer ceiling (requests/s and p99, one event per request;
   * events/s in batches) and against the bare server, with the bars, and the load average.
   */
  private static String summary(List<Run> runs, int round) {
    List<String> parts = new ArrayList<>();
    pair(runs, round, "fnmesh", "producer").ifPresent(p -> parts.add(String.format(Locale.ROOT,
        "fnmesh/producer %.2f of requests/s (bar %.1f: %s), p99 %s/%s ms = %.1fx (bar %.0fx: %s)",
        p.rate(false), SINGLE_BAR, met(p.rate(false) >= SINGLE_BAR), ResultTable.millis(p.measured().latency(0.99)),
        ResultTable.millis(p.bar().latency(0.99)), p.p99(), P99_BAR, met(p.p99() <= P99_BAR))));
    pair(runs, round, "fnmesh-batch", "producer-batch").ifPresent(p -> parts.add(String.format(Locale.ROOT,
        "fnmesh-batch/producer-batch %.2f of events/s (bar %.1f: %s)", p.rate(true), BATCH_BAR,
        met(p.rate(true) >= BATCH_BAR))));
    for (String[] other : new String[][] {{"fnmesh", "bare"}, {"fnmesh-batch", "bare-batch"}, {"ingress", "producer"},
        {"ingress", "bare"}, {"ingress-batch", "producer-batch"}}) {
      pair(runs, round, other[0], other[1]).ifPresent(p -> parts.add(String.format(Locale.ROOT, "%s/%s %.2f",
          other[0], other[1], p.rate(other[0].endsWith("-batch")))));
    }
    String load = runs.stream().filter(r -> r.round() == round).map(Run::loadAverage).reduce((a, b) -> b).orElse("n/a");
    double oneMinute = load.equals("n/a") ? 0 : Double.parseDouble(load.split("/")[0]);
    return String.format(Locale.ROOT, "summary round %d%s: %s; loadavg %s%s", round,
        round == 1 && runs.stream().anyMatch(r -> r.round() > 1) ? " (JVM warming up)" : "",
        parts.isEmpty() ? "no pair of targets to compare" : String.join("; ", parts), load,
        oneMinute > 3 ? " (busy machine: above 3, re-measure when quiet)" : "");
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  private record Pair(LoadGenerator.LoadResult measured, LoadGenerator.LoadResult bar) {
    double rate(boolean events) {
      return events ? measured.eventsPerSecond() / bar.eventsPerSecond()
          : measured.requestsPerSecond() / bar.requestsPerSecond();
    }

    double p99() {
      return (double) measured.latency(0.99) / Math.max(1, bar.latency(0.99));
    }
  }

  private static Optional<Pair> pair(List<Run> runs, int round, String measured, String bar) {
    Optional<Run> m = runs.stream().filter(r -> r.round() == round && r.target().equals(measured)).findFirst();
    Optional<Run> b = runs.stream().filter(r -> r.round() == round && r.target().equals(bar)).findFirst();
    return m.isPresent() && b.isPresent() ? Optional.of(new Pair(m.get().result(), b.get().result())) : Optional.empty();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** @param cpuNanos the CPU time of every thread but the load generator's while measured: server, producer, broker */
  private record Run(String target, int round, LoadGenerator.LoadResult result, ResultTable cpu, long cpuNanos,
      String loadAverage) {

    /** CPU per event, load generator aside: steadier than the rates on a busy machine. */
    String cpuMicrosPerEvent() {
      return result.events() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", cpuNanos / 1e3 / result.events());
    }
  }
}
