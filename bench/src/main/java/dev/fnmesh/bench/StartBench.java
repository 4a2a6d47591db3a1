package dev.fnmesh.bench;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How soon {@code fnmesh up} is ready: the built {@code ./fnmesh up} of the example mesh launched as a child
 * process, on a fresh data directory each time, with its embedded broker and then with {@code --kafka} on a broker
 * started once. Per launch: launch → {@code /healthz} 200, the CPU the process used until then, and launch → the
 * reply of an event published right after (the echo trigger, woken from zero replicas). Beside it the
 * reference: launch → first record passed on by a plain kafka-clients consume → produce loop in a JVM of its
 * own, and the ratios.
 */
public final class StartBench {

  private static final Duration READY_WAIT = Duration.ofSeconds(120);
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path home;
  private final Path work;

  private StartBench(Path home, Path work) {
    this.home = home;
    this.work = work;
  }

  /** A launch measured: launch → healthz, CPU seconds used by then, launch → first reply (nanos). */
  private record Launch(long healthzNanos, double cpuSeconds, long replyNanos) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new Options()).execute(args));
  }

  @Command(name = "StartBench", mixinStandardHelpOptions = true,
      description = "launch to /healthz and to a first reply of fnmesh up, embedded and --kafka, beside a kafka-clients loop's JVM.")
  static final class Options implements Callable<Integer> {

    @Option(names = "--runs", description = "Launches of each kind (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Override
    public Integer call() throws Exception {
      run(runs);
      return 0;
    }
  }

  private static void run(int runs) throws Exception {
    Path home = homeOfThisCheckout();
    System.out.println("StartBench runs=" + runs + " home=" + home + " " + HostInfo.describe());
    try (TempDirectory work = TempDirectory.create("fnmesh-bench-start")) {
      StartBench bench = new StartBench(home, work.path());
      bench.built();
      ResultTable table = new ResultTable("run", "load avg", "launch → /healthz 200", "CPU s by then",
          "launch → first reply", "loop launch → first record", "/healthz ÷ loop", "reply ÷ loop");
      List<Launch> embedded = new ArrayList<>();
      List<Launch> external = new ArrayList<>();
      List<Long> loops = new ArrayList<>();
      try (BenchKafka kafka = BenchKafka.start()) {
        for (int run = 1; run <= runs; run++) {
          String load = HostInfo.loadAverage();
          Launch up = bench.launch(List.of(), "embedded-" + run);
          long loop = bench.loop(kafka, run);
          embedded.add(up);
          loops.add(loop);
          table.row("embedded " + run, load, ResultTable.seconds(up.healthzNanos()), format(up.cpuSeconds()),
              ResultTable.seconds(up.replyNanos()), ResultTable.seconds(loop), ratio(up.healthzNanos(), loop),
              ratio(up.replyNanos(), loop));
        }
        for (int run = 1; run <= runs; run++) {
          String load = HostInfo.loadAverage();
          Launch up = bench.launch(List.of("--kafka", kafka.bootstrapServers()), "kafka-" + run);
          long loop = bench.loop(kafka, runs + run);
          external.add(up);
          loops.add(loop);
          table.row("--kafka " + run, load, ResultTable.seconds(up.healthzNanos()), format(up.cpuSeconds()),
              ResultTable.seconds(up.replyNanos()), ResultTable.seconds(loop), ratio(up.healthzNanos(), loop),
              ratio(up.replyNanos(), loop));
        }
      }
      table.print(System.out);
      System.out.printf(Locale.ROOT, "median: embedded /healthz %s, --kafka /healthz %s, loop %s; load after: %s%n",
          ResultTable.seconds(median(embedded.stream().map(Launch::healthzNanos).toList())),
          ResultTable.seconds(median(external.stream().map(Launch::healthzNanos).toList())),
          ResultTable.seconds(median(loops)), HostInfo.loadAverage());
    }
  }

  /** The checkout this bench was built in: bench/target/classes or the bench jar sit two levels below it. */
  private static Path homeOfThisCheckout() throws URISyntaxException {
    Path built = Path.of(StartBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return built.getParent().getParent().getParent();
  }

  // The first `./fnmesh` after a change builds (and records its class-data archive): not counted in a launch.
  private void built() throws IOException, InterruptedException {
    Process version = new ProcessBuilder(home.resolve("fnmesh").toString(), "--version").inheritIO().start();
    if (version.waitFor() != 0) {
      throw new IllegalStateException("./fnmesh --version failed: build the checkout first");
    }
  }

  private Launch launch(List<String> kafka, String name) throws Exception {
    int httpPort = freePort();
    List<String> command = new ArrayList<>(List.of(home.resolve("fnmesh").toString(), "up", "--http-port",
        String.valueOf(httpPort), "--kafka-port", String.valueOf(freePort()), "--data-dir",
        work.resolve(name).toString()));
    command.addAll(kafka);
    Path log = work.resolve(name + ".log");
    long launched = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI base = URI.create("http://127.0.0.1:" + httpPort);
      long deadline = launched + READY_WAIT.toNanos();
      while (!healthy(base)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " did not answer /healthz 200, log: " + log);
        }
        Thread.sleep(20);
      }
      long healthz = System.nanoTime() - launched;
      double cpu = process.toHandle().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
      String bootstrap = kafka.isEmpty() ? bootstrapOf(log) : kafka.get(1);
      long reply = firstReply(base, bootstrap, launched, deadline);
      return new Launch(healthz, cpu, reply);
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private boolean healthy(URI base) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  // The banner names the embedded broker's address; the bench chose its port, but reads it as a user would.
  private static String bootstrapOf(Path log) throws IOException {
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.startsWith("  Kafka: ")) {
        return line.substring("  Kafka: ".length()).split(" ")[0];
      }
    }
    throw new IllegalStateException("no Kafka address in " + log);
  }

  // An event to the echo trigger, woken from zero replicas by it; its reply looked for on echo.replies.
  private long firstReply(URI base, String bootstrap, long launched, long deadline) throws Exception {
    String id = UUID.randomUUID().toString();
    HttpResponse<String> published = http.send(HttpRequest.newBuilder(base.resolve("/topics/echo"))
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/bench/start")
        .header("ce-type", "dev.fnmesh.bench.start").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("hello", "start").encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (published.statusCode() != 202) {
      throw new IllegalStateException("publish answered " + published.statusCode() + " " + published.body());
    }
    try (KafkaConsumer<byte[], byte[]> replies = consumer(bootstrap)) {
      List<TopicPartition> partitions = replies.partitionsFor("echo.replies").stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      replies.assign(partitions);
      replies.seekToBeginning(partitions);
      while (System.nanoTime() < deadline) {
        for (var record : replies.poll(Duration.ofMillis(50))) {
          var header = record.headers().lastHeader("ce_id");
          if (header != null && new String(header.value(), StandardCharsets.UTF_8).equals(id)) {
            return System.nanoTime() - launched;
          }
        }
      }
    }
    throw new IllegalStateException("no reply to " + id + " on echo.replies");
  }

  // The reference: one record waiting on the loop's input; launch → that record on its output.
  private long loop(BenchKafka kafka, int run) throws Exception {
    String input = "start-loop-in-" + run;
    String output = "start-loop-out-" + run;
    kafka.createTopic(input, 1);
    kafka.createTopic(output, 1);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(input, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
    long launched = System.nanoTime();
    Process process = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"),
        LoopStart.class.getName(), kafka.bootstrapServers(), input, output)
        .redirectErrorStream(true).redirectOutput(work.resolve("loop-" + run + ".log").toFile()).start();
    try {
      long deadline = launched + READY_WAIT.toNanos();
      while (kafka.recordCount(output, 1) == 0) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the loop passed nothing on, log: " + work.resolve("loop-" + run + ".log"));
        }
        Thread.sleep(20);
      }
      return System.nanoTime() - launched;
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String ratio(long value, long reference) {
    return String.format(Locale.ROOT, "%.1f×", (double) value / reference);
  }

  private static String format(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds);
  }
}
