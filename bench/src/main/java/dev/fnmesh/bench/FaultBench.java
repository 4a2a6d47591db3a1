package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaCluster;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaClusterConfig;
import dev.fnmesh.launcher.Mesh;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Faults under a steady HTTP load on a three-broker cluster (replication 3, min ISR 2) and a mesh echoing every
 * event to a reply topic; afterwards every event a client saw acknowledged (202) is looked up among the replies.
 * One line per scenario: acknowledged, lost (must be 0), duplicated, the longest pause between replies, and how
 * long publishers saw the fault.
 */
@Command(name = "FaultBench", mixinStandardHelpOptions = true,
    description = "Faults under steady load: events acknowledged, lost, duplicated, longest pause, time to recover.")
public final class FaultBench implements Callable<Integer> {

  static final List<String> SCENARIOS = List.of("broker-stop", "poison", "hanging-function");

  @Option(names = "--scenarios", split = ",", description = "Which to run, in this order (default: ${DEFAULT-VALUE}).")
  List<String> scenarios = SCENARIOS;

  @Option(names = "--rate", description = "Events per second over HTTP (default: ${DEFAULT-VALUE}).")
  int rate = 200;

  @Option(names = "--clients", description = "HTTP clients, each one request at a time (default: ${DEFAULT-VALUE}).")
  int clients = 4;

  @Option(names = "--partitions", description = "Partitions of every trigger topic (default: ${DEFAULT-VALUE}).")
  int partitions = 6;

  @Option(names = "--steady-seconds", description = "Load before and after each fault (default: ${DEFAULT-VALUE}).")
  int steadySeconds = 10;

  @Option(names = "--fault-seconds", description = "How long the fault lasts: a broker away, poison written "
      + "(default: ${DEFAULT-VALUE}).")
  int faultSeconds = 20;

  @Option(names = "--poison", description = "Poison records written during the poison scenario (default: ${DEFAULT-VALUE}).")
  int poison = 60;

  @Option(names = "--hanging", description = "Events that make the function hang, published during the "
      + "hanging-function scenario; the trigger's delivery timeout is 2 s (default: ${DEFAULT-VALUE}).")
  int hanging = 10;

  @Option(names = "--drain-seconds", description = "How long to wait for the replies after the load stopped "
      + "(default: ${DEFAULT-VALUE}).")
  int drainSeconds = 120;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FaultBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String scenario : scenarios) {
      if (!SCENARIOS.contains(scenario)) {
        System.err.println("--scenarios takes " + SCENARIOS + ", got '" + scenario + "'");
        return 2;
      }
    }
    System.out.printf(Locale.ROOT, "FaultBench scenarios=%s rate=%d/s clients=%d partitions=%d steadySeconds=%d "
        + "faultSeconds=%d poison=%d brokers=3 replication=3 minIsr=2 %s%n", scenarios, rate, clients, partitions,
        steadySeconds, faultSeconds, poison, HostInfo.describe());
    ResultTable table = new ResultTable("scenario", "sent", "acknowledged (202)", "refused (503)", "failed", "lost",
        "duplicated", "longest pause s", "recover s", "also");
    boolean noneLost = true;
    try (TempDirectory work = TempDirectory.create("fnmesh-faultbench");
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(
            EmbeddedKafkaClusterConfig.withFreePorts(Files.createDirectories(work.path().resolve("kafka")), 3));
        Mesh mesh = Mesh.start(BenchMesh.options(meshFile(work.path()), Optional.of(cluster.bootstrapServers()),
            Files.createDirectories(work.path().resolve("mesh"))))) {
      FaultScenarios faults = new FaultScenarios(cluster, KafkaSettings.of(cluster.bootstrapServers()));
      for (String scenario : scenarios) {
        String trigger = switch (scenario) {
          case "broker-stop" -> "steady";
          case "poison" -> "poison";
          default -> "hanging";
        };
        Duration over = Duration.ofSeconds(faultSeconds);
        FaultScenarios.Fault fault = switch (scenario) {
          case "broker-stop" -> faults.brokerStop("steady.in", over);
          case "poison" -> faults.poison("poison.in", poison, over);
          default -> faults.hangingFunction(topicUrl(mesh, trigger), trigger, hanging, over);
        };
        Outcome outcome = run(mesh, cluster, trigger, fault);
        noneLost &= outcome.lost() == 0;
        table.row(scenario, outcome.sent(), outcome.acknowledged(), outcome.refused(), outcome.failed(), outcome.lost(),
            outcome.duplicated(), ResultTable.seconds(outcome.longestPauseNanos()),
            ResultTable.seconds(outcome.recoverNanos()), fault.report());
      }
    }
    System.out.println();
    table.print(System.out);
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return noneLost ? 0 : 1;
  }

  /** What one scenario counted; {@code failed} are answers other than 202 and 503, or none at all. */
  record Outcome(long sent, long acknowledged, long refused, long failed, long lost, long duplicated, long longestPauseNanos,
      long recoverNanos) {}

  private Outcome run(Mesh mesh, EmbeddedKafkaCluster cluster, String trigger, FaultScenarios.Fault fault)
      throws Exception {
    KafkaSettings kafka = KafkaSettings.of(cluster.bootstrapServers());
    URI url = topicUrl(mesh, trigger);
    try (ReplyLedger replies = new ReplyLedger(kafka, trigger + ".replies", "ce_id")) {
      SteadyIngest ingest = new SteadyIngest(url, trigger, clients, rate);
      ingest.start();
      TimeUnit.SECONDS.sleep(steadySeconds);
      long faultStart = System.nanoTime();
      fault.run();
      TimeUnit.SECONDS.sleep(steadySeconds);
      List<SteadyIngest.Answer> answers = ingest.stop();
      Set<String> acknowledged = SteadyIngest.acknowledged(answers);
      replies.awaitAll(acknowledged, Duration.ofSeconds(drainSeconds));
      fault.settle();
      return new Outcome(answers.size(), acknowledged.size(), SteadyIngest.count(answers, 503), SteadyIngest.failed(answers),
          replies.missing(acknowledged), replies.duplicated(acknowledged), replies.longestPauseNanos(),
          SteadyIngest.recoverNanos(answers, faultStart));
    }
  }

  private static URI topicUrl(Mesh mesh, String trigger) {
    return URI.create("http://127.0.0.1:" + mesh.httpPort() + "/topics/" + trigger + ".in");
  }

  private Path meshFile(Path work) throws Exception {
    return Files.writeString(work.resolve("faultbench-mesh.yaml"), """
        functions:
          echo: { java: echo }
          slow: { java: sleep, config: { ms: 0 } }
        triggers:
          steady:
            kafka: { topic: steady.in, partitions: %1$d }
            function: echo
            reply: { topic: steady.replies }
          poison:
            kafka: { topic: poison.in, partitions: %1$d }
            function: echo
            reply: { topic: poison.replies }
          hanging:
            kafka: { topic: hanging.in, partitions: %1$d }
            function: slow
            reply: { topic: hanging.replies }
            delivery: { timeout: PT2S }
        """.formatted(partitions));
  }
}
