package dev.fnmesh.bench;

import dev.fnmesh.launcher.Mesh;
import dev.fnmesh.launcher.MeshOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka to function to reply-topic throughput: a hand-written consume-produce loop (the bar) against a
 * whole fnmesh running the echo function, each draining its own pre-filled topic on one embedded broker.
 */
@Command(name = "PipelineBench", mixinStandardHelpOptions = true,
    description = "Kafka -> echo function -> reply topic throughput: baseline loop vs fnmesh.")
public final class PipelineBench implements Callable<Integer> {

  private static final String WARMUP = "warmup";
  private static final String MEASURED = "measured";
  private static final int CPU_ROWS = 8;
  private static final List<String> PIPELINES = List.of("baseline", "fnmesh", "trigger");

  @Option(names = "--events", description = "Events per pipeline (default: ${DEFAULT-VALUE}).")
  int events = 500_000;

  @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions = 8;

  @Option(names = "--data-bytes", description = "Size of each event's JSON data (default: ${DEFAULT-VALUE}).")
  int dataBytes = 100;

  @Option(names = "--pipelines", split = ",", description = "Which to run, in this order, from baseline, fnmesh and "
      + "trigger (fnmesh's trigger verticle deployed directly, a diagnostic) (default: baseline,fnmesh).")
  List<String> pipelines = List.of("baseline", "fnmesh");

  @Option(names = "--replicas", description = "Pin the fnmesh trigger to this many replicas (scale min = max); "
      + "default: the mesh's own scaling, which follows the consumer lag up to one replica per partition.")
  Integer replicas;

  @Option(names = "--guarantee", description = "The fnmesh pipeline's delivery.guarantee: at-least-once or "
      + "exactly-once; with exactly-once the reply topic's count includes a commit marker per partition and "
      + "transaction, so it finishes slightly early (default: ${DEFAULT-VALUE}).")
  String guarantee = "at-least-once";

  @Option(names = "--max-pending", description = "The trigger pipeline's limit of fetched, unfinished events above "
      + "which its consumer pauses; fnmesh's is 10000 (default: ${DEFAULT-VALUE}).")
  int maxPending = 10_000;

  @Option(names = "--warmup-events", description = "Events of an unreported first round of every pipeline, so that "
      + "both are measured with warm JIT-compiled code; 0 skips it (default: ${DEFAULT-VALUE}).")
  int warmupEvents = 100_000;

  @Option(names = "--timeout-seconds", description = "Give up on a pipeline after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 120;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PipelineBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!List.of("at-least-once", "exactly-once").contains(guarantee)) {
      System.err.println("--guarantee takes at-least-once or exactly-once, got '" + guarantee + "'");
      return 2;
    }
    for (String pipeline : pipelines) {
      if (!PIPELINES.contains(pipeline)) {
        System.err.println("--pipelines takes " + PIPELINES + ", got '" + pipeline + "'");
        return 2;
      }
    }
    BenchEvents sample = new BenchEvents(dataBytes);
    System.out.printf(Locale.ROOT, "PipelineBench events=%d warmupEvents=%d partitions=%d dataBytes=%d pipelines=%s%s %s%n",
        events, warmupEvents, partitions, dataBytes, pipelines,
        (pipelines.contains("trigger") ? " maxPending=" + maxPending : "")
            + (replicas != null ? " replicas=" + replicas : "") + " guarantee=" + guarantee, HostInfo.describe());
    ResultTable fills = new ResultTable("prefill topic", "events", "s", "events/s");
    List<Result> warmups = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    try (BenchKafka kafka = BenchKafka.start(); TempDirectory work = TempDirectory.create("fnmesh-bench")) {
      TopicFiller filler = new TopicFiller(kafka.settings(), sample);
      for (String pipeline : pipelines) {
        if (warmupEvents > 0) {
          fill(kafka, filler, fills, topic(pipeline, WARMUP, "in"), warmupEvents);
        }
        fill(kafka, filler, fills, topic(pipeline, MEASURED, "in"), events);
      }
      fills.print(System.out);
      System.out.println();
      if (warmupEvents > 0) {
        for (String pipeline : pipelines) {
          warmups.add(run(kafka, work.path(), pipeline, WARMUP, warmupEvents));
        }
      }
      for (String pipeline : pipelines) {
        results.add(run(kafka, work.path(), pipeline, MEASURED, events));
      }
    }
    if (!warmups.isEmpty()) {
      System.out.println();
      System.out.println("warm-up round (not the result):");
      print(warmups);
    }
    System.out.println();
    System.out.println("result:");
    print(results);
    for (Result result : results) {
      System.out.printf(Locale.ROOT, "%nCPU by thread while %s ran (steady state: first to last reply):%n",
          result.name());
      result.cpu().print(System.out);
    }
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return 0;
  }

  private void fill(BenchKafka kafka, TopicFiller filler, ResultTable fills, String topic, int count) {
    kafka.createTopic(topic, partitions);
    Duration took = filler.fill(topic, count);
    fills.row(topic, count, ResultTable.seconds(took.toNanos()), ResultTable.rate(count / (took.toNanos() / 1e9)));
  }

  private Result run(BenchKafka kafka, Path work, String pipeline, String phase, int count) throws Exception {
    return switch (pipeline) {
      case "baseline" -> runBaseline(kafka, phase, count);
      case "trigger" -> runTrigger(kafka, phase, count);
      default -> runFnmesh(kafka, work, phase, count);
    };
  }

  private Result runBaseline(BenchKafka kafka, String phase, int count) throws Exception {
    String output = topic("baseline", phase, "out");
    kafka.createTopic(output, partitions);
    try (RecordCountWatcher watcher = watcher(kafka, output, count)) {
      AtomicReference<ThreadCpu> cpu = new AtomicReference<>();
      long start = System.nanoTime();
      var timeline = watcher.start(() -> cpu.set(ThreadCpu.start()));
      try (BaselinePipeline baseline = new BaselinePipeline(kafka.settings(), topic("baseline", phase, "in"),
          output, "bench-baseline-" + phase)) {
        baseline.start();
        return new Result("baseline", count, start, await(timeline), cpu.get());
      }
    }
  }

  private Result runTrigger(BenchKafka kafka, String phase, int count) throws Exception {
    String output = topic("trigger", phase, "out");
    String name = "bench-trigger-" + phase;
    kafka.createTopic(output, partitions);
    kafka.createTopic(TriggerPipeline.deadLetterTopic(name), partitions);
    try (RecordCountWatcher watcher = watcher(kafka, output, count)) {
      AtomicReference<ThreadCpu> cpu = new AtomicReference<>();
      long start = System.nanoTime();
      var timeline = watcher.start(() -> cpu.set(ThreadCpu.start()));
      try (TriggerPipeline trigger = new TriggerPipeline(kafka.settings(), name, topic("trigger", phase, "in"), output,
          maxPending)) {
        trigger.start();
        return new Result("trigger", count, start, await(timeline), cpu.get());
      }
    }
  }

  private Result runFnmesh(BenchKafka kafka, Path work, String phase, int count) throws Exception {
    String output = topic("fnmesh", phase, "out");
    Path meshFile = work.resolve("pipeline-mesh-" + phase + ".yaml");
    Files.writeString(meshFile, meshYaml(topic("fnmesh", phase, "in"), output));
    MeshOptions options = BenchMesh.options(meshFile, Optional.of(kafka.bootstrapServers()),
        Files.createDirectories(work.resolve("mesh-data-" + phase)));
    try (RecordCountWatcher watcher = watcher(kafka, output, count)) {
      AtomicReference<ThreadCpu> cpu = new AtomicReference<>();
      long start = System.nanoTime();
      var timeline = watcher.start(() -> cpu.set(ThreadCpu.start()));
      // Started after the watcher: replies may flow before Mesh.start returns.
      try (Mesh mesh = Mesh.start(options)) {
        long ready = System.nanoTime();
        System.out.printf(Locale.ROOT, "fnmesh %s: Mesh.start returned after %s s%n", phase,
            ResultTable.seconds(ready - start));
        return new Result("fnmesh", count, start, await(timeline), cpu.get());
      }
    }
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
            delivery: { guarantee: %s }
        """.formatted(input, partitions, output, guarantee) + scale;
  }

  private RecordCountWatcher watcher(BenchKafka kafka, String topic, int count) {
    return new RecordCountWatcher(kafka.settings(), topic, partitions, count, Duration.ofSeconds(timeoutSeconds));
  }

  private RecordCountWatcher.Timeline await(CompletableFuture<RecordCountWatcher.Timeline> timeline)
      throws InterruptedException, ExecutionException, TimeoutException {
    return timeline.get(timeoutSeconds + 10L, TimeUnit.SECONDS);
  }

  /** E.g. {@code bench.fnmesh.warmup.in}: every pipeline and round has topics of its own. */
  private static String topic(String pipeline, String phase, String direction) {
    return "bench." + pipeline + "." + phase + "." + direction;
  }

  private void print(List<Result> results) {
    ResultTable table = new ResultTable("pipeline", "events", "first reply s", "total s", "events/s incl. startup",
        "steady s", "events/s steady", "JVM cpu us/event steady");
    for (Result result : results) {
      RecordCountWatcher.Timeline t = result.timeline();
      table.row(result.name(), t.finalCount(), ResultTable.seconds(t.firstSeenNanos() - result.startNanos()),
          ResultTable.seconds(t.doneNanos() - result.startNanos()), ResultTable.rate(result.totalRate()),
          ResultTable.seconds(t.doneNanos() - t.firstSeenNanos()), ResultTable.rate(result.steadyRate()),
          String.format(Locale.ROOT, "%.1f", result.cpuMicrosPerEvent()));
    }
    table.print(System.out);
    Optional<Result> baseline = results.stream().filter(r -> r.name().equals("baseline")).findFirst();
    baseline.ifPresent(bar -> results.stream().filter(r -> r != bar).forEach(r -> System.out.printf(Locale.ROOT,
        "%s / baseline: %s including startup, %s steady state%n", r.name(),
        ResultTable.percent(r.totalRate() / bar.totalRate()), ResultTable.percent(r.steadyRate() / bar.steadyRate()))));
    results.stream().filter(r -> r.timeline().finalCount() > r.events()).forEach(r -> System.out.printf(Locale.ROOT,
        "WARNING %s wrote %d records for %d events: duplicates%n", r.name(), r.timeline().finalCount(), r.events()));
  }

  /** One pipeline's run; {@code startNanos} is when it was started, before any of its clients existed. */
  private record Result(String name, int events, long startNanos, RecordCountWatcher.Timeline timeline,
      ResultTable cpu, long cpuNanos) {

    /** @param steadyCpu measuring since the first replies were seen */
    Result(String name, int events, long startNanos, RecordCountWatcher.Timeline timeline, ThreadCpu steadyCpu) {
      this(name, events, startNanos, timeline, steadyCpu.table(CPU_ROWS), steadyCpu.totalNanos());
    }

    /** CPU time of the whole JVM (broker included) per event in the steady state, in microseconds. */
    double cpuMicrosPerEvent() {
      return cpuNanos / 1e3 / (timeline.finalCount() - timeline.countAtFirstSeen());
    }

    double totalRate() {
      return timeline.finalCount() / ((timeline.doneNanos() - startNanos) / 1e9);
    }

    /** Records that arrived after the first poll that saw any, over the time between the two polls. */
    double steadyRate() {
      return timeline.steadyRate();
    }
  }
}
