package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.embedded.EmbeddedKafkaClusterConfig;
import dev.fnmesh.kafka.embedded.KafkaProcessCluster;
import dev.fnmesh.launcher.Mesh;
import dev.fnmesh.launcher.MeshOptions;
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
 * Faults under a steady HTTP load on a cluster of three brokers, each a process of its own (replication 3, min
 * ISR 2), and a mesh echoing every event to a reply topic; afterwards every event a client saw acknowledged (202)
 * is looked up among the replies. One line per scenario: acknowledged, lost (must be 0), duplicated, the longest
 * pause between replies, and how long publishers saw the fault. The single-broker scenario has a cluster of one
 * broker of its own; the host scenario a mesh of processes of its own ({@code fnmesh controller} and two
 * {@code fnmesh host}) on the three brokers.
 */
@Command(name = "FaultBench", mixinStandardHelpOptions = true,
    description = "Faults under steady load: events acknowledged, lost, duplicated, longest pause, time to recover.")
public final class FaultBench implements Callable<Integer> {

  static final List<String> SCENARIOS = List.of("broker-stop", "leader-kill", "drain-kill", "single-broker-stop",
      "host-kill", "exactly-once-host-kill", "rebalance-storm", "poison", "oversized-reply", "crash-loop",
      "hanging-function");

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

  @Option(names = "--fault-seconds", description = "How long the fault lasts: a broker away, poison written, a "
      + "reply topic too small, a crash-looping function (default: ${DEFAULT-VALUE}).")
  int faultSeconds = 20;

  @Option(names = "--storm-seconds", description = "How long the rebalance storm lasts (default: ${DEFAULT-VALUE}).")
  int stormSeconds = 60;

  @Option(names = "--backlog", description = "Events written before the broker is killed in drain-kill "
      + "(default: ${DEFAULT-VALUE}).")
  int backlog = 20_000;

  @Option(names = "--poison", description = "Poison records written during the poison scenario (default: ${DEFAULT-VALUE}).")
  int poison = 60;

  @Option(names = "--hanging", description = "Events that make the function hang, published during the "
      + "hanging-function scenario; the trigger's delivery timeout is 2 s (default: ${DEFAULT-VALUE}).")
  int hanging = 10;

  @Option(names = "--crashing", description = "Events published to the crash-looping function (default: ${DEFAULT-VALUE}).")
  int crashing = 20;

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
        + "faultSeconds=%d stormSeconds=%d backlog=%d poison=%d brokers=3 (processes) replication=3 minIsr=2 %s%n",
        scenarios, rate, clients, partitions, steadySeconds, faultSeconds, stormSeconds, backlog, poison,
        HostInfo.describe());
    ResultTable table = new ResultTable("scenario", "sent", "acknowledged (202)", "refused (503)", "failed", "lost",
        "duplicated", "longest pause s", "recover s", "slowest answer s", "also");
    boolean noneLost = true;
    Duration over = Duration.ofSeconds(faultSeconds);
    try (TempDirectory work = TempDirectory.create("fnmesh-faultbench");
        KafkaProcessCluster cluster = KafkaProcessCluster.start(
            EmbeddedKafkaClusterConfig.withFreePorts(Files.createDirectories(work.path().resolve("kafka")), 3));
        Mesh mesh = startMesh(BenchMesh.options(Files.writeString(work.path().resolve("faultbench-mesh.yaml"),
            meshText(null, false)), Optional.of(cluster.bootstrapServers()),
            Files.createDirectories(work.path().resolve("mesh")), true))) {
      KafkaSettings kafka = KafkaSettings.of(cluster.bootstrapServers());
      URI base = URI.create("http://127.0.0.1:" + mesh.httpPort());
      FaultScenarios faults = new FaultScenarios(cluster, kafka);
      TriggerFaults triggers = new TriggerFaults(base, kafka, this::meshText);
      for (String scenario : scenarios) {
        Outcome outcome;
        FaultScenarios.Fault fault;
        if (scenario.equals("single-broker-stop")) {
          try (KafkaProcessCluster single = KafkaProcessCluster.start(EmbeddedKafkaClusterConfig.withFreePorts(
                  Files.createDirectories(work.path().resolve("kafka-single")), 1));
              Mesh singleMesh = startMesh(BenchMesh.options(Files.writeString(work.path().resolve("single-mesh.yaml"),
                  singleMeshText()), Optional.of(single.bootstrapServers()),
                  Files.createDirectories(work.path().resolve("single-mesh"))))) {
            KafkaSettings singleKafka = KafkaSettings.of(single.bootstrapServers());
            fault = new FaultScenarios(single, singleKafka).brokerStop("steady.in", over, false);
            URI singleBase = URI.create("http://127.0.0.1:" + singleMesh.httpPort());
            outcome = run(scenario, topicUrl(singleBase, "steady"), singleKafka, "steady", fault);
          }
        } else if (scenario.endsWith("host-kill")) {
          boolean exactlyOnce = scenario.startsWith("exactly-once");
          Path dir = Files.createDirectories(work.path().resolve(exactlyOnce ? "processes-exactly-once" : "processes"));
          try (MeshOfProcesses processes = MeshOfProcesses.start(dir, cluster.bootstrapServers(),
              Files.writeString(dir.resolve("mesh.yaml"), processesMeshText(exactlyOnce)), Duration.ofSeconds(5),
              List.of("host-a", "host-b"))) {
            awaitPlacedOnBoth(processes);
            fault = processes.hostKill("host-b", "spread");
            if (exactlyOnce) {
              // A backlog being drained when the host dies: events handled and not yet committed are at stake.
              fault = faults.backlogThen("spread.in", backlog / 4, fault, Duration.ofSeconds(drainSeconds));
            }
            outcome = run(scenario, topicUrl(processes.url("host-a"), "spread"), kafka, "spread", fault);
          }
        } else {
          String trigger = switch (scenario) {
            case "drain-kill" -> "drain";
            case "rebalance-storm" -> "storm";
            case "poison" -> "poison";
            case "oversized-reply" -> "big";
            case "hanging-function" -> "hanging";
            default -> "steady";
          };
          fault = switch (scenario) {
            case "broker-stop" -> faults.brokerStop("steady.in", over, false);
            case "leader-kill" -> faults.brokerStop("steady.in", over, true);
            case "drain-kill" -> faults.drainKill("drain.in", backlog, over, Duration.ofSeconds(drainSeconds));
            case "rebalance-storm" -> triggers.rebalanceStorm(1, partitions, Duration.ofSeconds(stormSeconds));
            case "poison" -> faults.poison("poison.in", poison, over);
            case "oversized-reply" -> triggers.oversizedReply("big", over);
            case "crash-loop" -> triggers.crashLoop(crashing, over);
            default -> faults.hangingFunction(topicUrl(base, trigger), trigger, hanging, over);
          };
          outcome = run(scenario, topicUrl(base, trigger), kafka, trigger, fault);
        }
        noneLost &= outcome.lost() == 0;
        table.row(scenario, outcome.sent(), outcome.acknowledged(), outcome.refused(), outcome.failed(), outcome.lost(),
            outcome.duplicated(), ResultTable.seconds(outcome.longestPauseNanos()),
            ResultTable.seconds(outcome.recoverNanos()), ResultTable.seconds(outcome.slowestNanos()), fault.report());
        System.out.printf(Locale.ROOT, "%s: acknowledged=%d lost=%d duplicated=%d pause=%.1fs recover=%.1fs %s%n",
            scenario, outcome.acknowledged(), outcome.lost(), outcome.duplicated(), outcome.longestPauseNanos() / 1e9,
            outcome.recoverNanos() / 1e9, fault.report());
      }
    }
    System.out.println();
    table.print(System.out);
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return noneLost ? 0 : 1;
  }

  /** What one scenario counted; {@code failed} are answers other than 202 and 503, or none at all. */
  record Outcome(long sent, long acknowledged, long refused, long failed, long lost, long duplicated,
      long longestPauseNanos, long recoverNanos, long slowestNanos) {}

  /** Event ids start with the scenario's name: scenarios that share a trigger share its reply topic too. */
  private Outcome run(String scenario, URI url, KafkaSettings kafka, String trigger, FaultScenarios.Fault fault)
      throws Exception {
    try (ReplyLedger replies = new ReplyLedger(kafka, trigger + ".replies", "ce_id")) {
      SteadyIngest ingest = new SteadyIngest(url, scenario, clients, rate);
      ingest.start();
      TimeUnit.SECONDS.sleep(steadySeconds);
      long faultStart = System.nanoTime();
      fault.run();
      TimeUnit.SECONDS.sleep(steadySeconds);
      List<SteadyIngest.Answer> answers = ingest.stop();
      Set<String> acknowledged = SteadyIngest.acknowledged(answers);
      replies.awaitAll(acknowledged, Duration.ofSeconds(drainSeconds));
      fault.settle();
      return new Outcome(answers.size(), acknowledged.size(), SteadyIngest.count(answers, 503),
          SteadyIngest.failed(answers), replies.missing(acknowledged), replies.duplicated(acknowledged),
          replies.longestPauseNanos(), SteadyIngest.recoverNanos(answers, faultStart),
          SteadyIngest.slowestNanos(answers));
    }
  }

  // A mesh's start gives up on a topic Kafka does not serve within 10 s of its creation, which a busy machine
  // with three brokers and some twenty topics to create can take: the next attempt finds the topics created.
  private static Mesh startMesh(MeshOptions options) {
    for (int attempt = 1; ; attempt++) {
      try {
        return Mesh.start(options);
      } catch (IllegalStateException e) {
        if (attempt == 3) {
          throw e;
        }
        System.out.println("mesh start failed, attempt " + attempt + " of 3: " + e.getMessage());
      }
    }
  }

  // The host to be killed runs replicas of the trigger before the load starts: its partitions are taken over.
  private static void awaitPlacedOnBoth(MeshOfProcesses processes) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (processes.placement("spread").size() < 2) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the replicas of spread are not on both hosts: " + processes.placement("spread"));
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static URI topicUrl(URI base, String trigger) {
    return base.resolve("/topics/" + trigger + ".in");
  }

  /**
   * The mesh of the three-broker scenarios.
   *
   * @param stormScale the storm trigger's {@code scale}, or null for none
   * @param crashLoop whether it has a trigger whose function is a process that exits at once
   */
  String meshText(String stormScale, boolean crashLoop) {
    String text = """
        functions:
          echo: { java: echo }
          slow: { java: sleep, config: { ms: 0 } }
          drainer: { java: sleep, config: { ms: 5 } }
        %2$s
        triggers:
          steady:
            kafka: { topic: steady.in, partitions: %1$d }
            function: echo
            reply: { topic: steady.replies }
          drain:
            kafka: { topic: drain.in, partitions: %1$d }
            function: drainer
            reply: { topic: drain.replies }
          storm:
            kafka: { topic: storm.in, partitions: %1$d }
            function: echo
            reply: { topic: storm.replies }
        %3$s
          big:
            kafka: { topic: big.in, partitions: %1$d }
            function: echo
            reply: { topic: big.replies }
          poison:
            kafka: { topic: poison.in, partitions: %1$d }
            function: echo
            reply: { topic: poison.replies }
          hanging:
            kafka: { topic: hanging.in, partitions: %1$d }
            function: slow
            reply: { topic: hanging.replies }
            delivery: { timeout: PT2S }
        %4$s
        """.formatted(partitions,
        crashLoop ? "  crasher: { command: [sh, -c, 'exit 3'], port: auto }" : "",
        stormScale == null ? "" : "    scale: " + stormScale,
        crashLoop ? """
              crashing:
                kafka: { topic: crashing.in, partitions: 2 }
                function: crasher
            """ : "");
    return text;
  }

  private String singleMeshText() {
    return """
        functions:
          echo: { java: echo }
        triggers:
          steady:
            kafka: { topic: steady.in, partitions: %d }
            function: echo
            reply: { topic: steady.replies }
        """.formatted(partitions);
  }

  // Two replicas: one on each host. Exactly once, the function takes 2 ms, so that a backlog lasts a while.
  private String processesMeshText(boolean exactlyOnce) {
    return """
        functions:
          echo: { java: %s }
        triggers:
          spread:
            kafka: { topic: spread.in, partitions: %d }
            function: echo
            reply: { topic: spread.replies }
            scale: { min: 2, max: 2 }
            delivery: { guarantee: %s }
        """.formatted(exactlyOnce ? "sleep, config: { ms: 2 }" : "echo", partitions,
        exactlyOnce ? "exactly-once" : "at-least-once");
  }
}
