package dev.fnmesh.bench;

import dev.fnmesh.launcher.MeshOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code delivery.batch} against single events, ordered, for a function whose cost is per call
 * ({@link PerCallDelay}): a topic filled ahead, drained by a whole fnmesh once per mode, every event replied.
 */
@Command(name = "BatchBench", mixinStandardHelpOptions = true,
    description = "ordered single events vs delivery.batch, a function that costs a fixed time per call.")
public final class BatchBench implements Callable<Integer> {

  private static final List<String> MODES = List.of("single", "batch");

  @Option(names = "--events", description = "Events per mode (default: ${DEFAULT-VALUE}).")
  int events = 20_000;

  @Option(names = "--partitions", description = "Partitions of the topic; one replica each (default: ${DEFAULT-VALUE}).")
  int partitions = 2;

  @Option(names = "--ms", description = "How long the function takes per call, on a timer (default: ${DEFAULT-VALUE}).")
  int millis = 5;

  @Option(names = "--max-events", description = "delivery.batch.maxEvents (default: ${DEFAULT-VALUE}).")
  int maxEvents = 100;

  @Option(names = "--modes", split = ",", description = "Which to run, in this order (default: single,batch).")
  List<String> modes = MODES;

  @Option(names = "--timeout-seconds", description = "Give up on a mode after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 300;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BatchBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!MODES.containsAll(modes)) {
      System.err.println("--modes takes " + MODES + ", got " + modes);
      return 2;
    }
    System.out.printf(Locale.ROOT, "BatchBench events=%d partitions=%d ms=%d maxEvents=%d modes=%s %s%n", events,
        partitions, millis, maxEvents, modes, HostInfo.describe());
    ResultTable table = new ResultTable("mode", "events", "first reply s", "total s", "steady s", "events/s steady");
    Map<String, Double> steady = new HashMap<>();
    try (BenchKafka kafka = BenchKafka.start(); TempDirectory work = TempDirectory.create("fnmesh-bench")) {
      for (String mode : modes) {
        String input = "bench.batch." + mode + ".in";
        String output = "bench.batch." + mode + ".out";
        kafka.createTopic(input, partitions);
        kafka.createTopic(output, partitions);
        new TopicFiller(kafka.settings(), new BenchEvents(64)).fill(input, events);
        Path meshFile = work.path().resolve("batch-" + mode + ".yaml");
        Files.writeString(meshFile, meshYaml(mode, input, output));
        MeshOptions options = BenchMesh.options(meshFile, Optional.of(kafka.bootstrapServers()),
            Files.createDirectories(work.path().resolve("mesh-data-" + mode)));
        BenchMesh.Drained drained = BenchMesh.drain(kafka, options, output, partitions, events, timeoutSeconds);
        RecordCountWatcher.Timeline t = drained.timeline();
        long start = drained.startNanos();
        double steadyRate = t.steadyRate();
        steady.put(mode, steadyRate);
        table.row(mode, t.finalCount(), ResultTable.seconds(t.firstSeenNanos() - start),
            ResultTable.seconds(t.doneNanos() - start), ResultTable.seconds(t.doneNanos() - t.firstSeenNanos()),
            ResultTable.rate(steadyRate));
      }
    }
    System.out.println();
    table.print(System.out);
    if (steady.containsKey("single") && steady.containsKey("batch")) {
      System.out.printf(Locale.ROOT, "batch / single: %.1fx steady state%n", steady.get("batch") / steady.get("single"));
    }
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return 0;
  }

  private String meshYaml(String mode, String input, String output) {
    String batch = mode.equals("batch") ? ", batch: { maxEvents: %d, maxWait: PT0.05S }".formatted(maxEvents) : "";
    return """
        functions:
          per-call: { java: %s, config: { ms: %d } }
        triggers:
          bench:
            kafka: { topic: %s, partitions: %d }
            function: per-call
            reply: { topic: %s }
            delivery: { ordering: ordered%s }
            scale: { min: %d, max: %d }
        """.formatted(PerCallDelay.class.getName(), millis, input, partitions, output, batch, partitions, partitions);
  }
}
