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
import java.util.concurrent.TimeUnit;

/**
 * HTTP ingress throughput and latency: a closed-loop load generator against a bare Vert.x server (the bar)
 * and against fnmesh's {@code POST /topics/bench}, which answers 202 only once Kafka acknowledged the events.
 * Everything runs in this JVM: load generator, server, and for fnmesh its embedded broker.
 */
@Command(name = "IngressBench", mixinStandardHelpOptions = true,
    description = "HTTP ingress throughput: bare Vert.x server vs fnmesh POST /topics/{topic}.")
public final class IngressBench implements Callable<Integer> {

  private static final Set<String> TARGETS = Set.of("bare", "fnmesh", "bare-batch", "fnmesh-batch", "ingress",
      "ingress-batch");
  private static final String TOPIC = "bench";
  private static final String INGRESS_TOPIC = "bench-ingress";

  @Option(names = "--connections", description = "Concurrent keep-alive connections (default: ${DEFAULT-VALUE}).")
  int connections = 64;

  @Option(names = "--duration", description = "Measured seconds per target (default: ${DEFAULT-VALUE}).")
  int durationSeconds = 15;

  @Option(names = "--warmup", description = "Unmeasured seconds before that (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 5;

  @Option(names = "--targets", split = ",", description = "In this order, from bare, fnmesh (binary mode, one event "
      + "per request), bare-batch, fnmesh-batch (application/cloudevents-batch+json), and the diagnostics ingress, "
      + "ingress-batch (default: bare,fnmesh).")
  List<String> targets = List.of("bare", "fnmesh");

  @Option(names = "--ingress-set", paramLabel = "KEY=VALUE", description = "Kafka client setting of the diagnostic "
      + "targets ingress and ingress-batch (fnmesh's TopicIngress alone, on the mesh's broker), repeatable, e.g. "
      + "--ingress-set linger.ms=0")
  Map<String, String> ingressOverrides = new LinkedHashMap<>();

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
    System.out.printf(Locale.ROOT, "IngressBench connections=%d warmup=%ds duration=%ds targets=%s batchSize=%d "
        + "dataBytes=%d ingressOverrides=%s %s%n", connections, warmupSeconds, durationSeconds, targets, batchSize,
        dataBytes, ingressOverrides, HostInfo.describe());
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
      try {
        for (String target : targets) {
          boolean batch = target.endsWith("-batch");
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
          Run run = measure(target, new LoadGenerator(clientVertx, port, path, connections, 202, requests));
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

  private Run measure(String target, LoadGenerator generator) throws Exception {
    System.out.printf(Locale.ROOT, "%s: %d s warm-up, %d s measured...%n", target, warmupSeconds, durationSeconds);
    Future<LoadGenerator.LoadResult> result = generator.run(Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(durationSeconds));
    TimeUnit.SECONDS.sleep(warmupSeconds);
    ThreadCpu cpu = ThreadCpu.start();
    LoadGenerator.LoadResult measured = await(result);
    Map<Long, String> labels = new HashMap<>();
    generator.threadIds().forEach(id -> labels.put(id, "load generator (its vert.x event loops)"));
    ResultTable cpuTable = cpu.table(8, labels);
    generator.close();
    return new Run(target, measured, cpuTable);
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
    ResultTable table = new ResultTable("target", "events/request", "connections", "requests", "requests/s", "events/s",
        "p50 ms", "p99 ms", "max ms", "errors");
    for (Run run : runs) {
      LoadGenerator.LoadResult r = run.result();
      table.row(run.target(), run.target().endsWith("-batch") ? batchSize : 1, connections, r.requests(),
          ResultTable.rate(r.requestsPerSecond()), ResultTable.rate(r.eventsPerSecond()),
          ResultTable.millis(r.latency(0.50)), ResultTable.millis(r.latency(0.99)), ResultTable.millis(r.latency(1.0)),
          r.errors());
    }
    table.print(System.out);
    ratio(runs, "fnmesh", "bare");
    ratio(runs, "fnmesh-batch", "bare-batch");
    ratio(runs, "ingress", "bare");
    ratio(runs, "ingress-batch", "bare-batch");
    runs.stream().filter(run -> run.result().firstError() != null).forEach(run -> System.out.printf(Locale.ROOT,
        "%s: first error: %s%n", run.target(), run.result().firstError()));
    if (meshRecords != null) {
      System.out.printf(Locale.ROOT, "durability check: fnmesh answered 202 for %d events; topic %s holds %d records%s%n",
          meshAccepted, TOPIC, meshRecords, meshRecords >= meshAccepted ? "" : "  <-- FEWER THAN ACKNOWLEDGED");
    }
    for (Run run : runs) {
      System.out.printf(Locale.ROOT, "%nCPU by thread while %s was measured:%n", run.target());
      run.cpu().print(System.out);
    }
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
  }

  private static void ratio(List<Run> runs, String measured, String bar) {
    Optional<Run> m = runs.stream().filter(r -> r.target().equals(measured)).findFirst();
    Optional<Run> b = runs.stream().filter(r -> r.target().equals(bar)).findFirst();
    if (m.isPresent() && b.isPresent()) {
      System.out.printf(Locale.ROOT, "%s / %s: %s of the requests/s%n", measured, bar,
          ResultTable.percent(m.get().result().requestsPerSecond() / b.get().result().requestsPerSecond()));
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private record Run(String target, LoadGenerator.LoadResult result, ResultTable cpu) {}
}
