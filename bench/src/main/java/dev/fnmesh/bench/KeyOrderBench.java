package dev.fnmesh.bench;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.launcher.MeshOptions;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code delivery.ordering} against a function that takes a fixed time (the {@code sleep} example, on a timer):
 * many keys on few partitions, drained by a whole fnmesh once per ordering. Counts, from the reply topic, the
 * events of a key answered out of their offset order.
 */
@Command(name = "KeyOrderBench", mixinStandardHelpOptions = true,
    description = "ordered vs key vs unordered delivery, many keys on few partitions, a function of fixed duration.")
public final class KeyOrderBench implements Callable<Integer> {

  private static final List<String> ORDERINGS = List.of("ordered", "key", "unordered");

  @Option(names = "--events", description = "Events per ordering (default: ${DEFAULT-VALUE}).")
  int events = 2000;

  @Option(names = "--partitions", description = "Partitions of the topic; the trigger runs one replica per partition "
      + "(default: ${DEFAULT-VALUE}).")
  int partitions = 2;

  @Option(names = "--keys", description = "Distinct partition keys, event i has key i mod keys (default: ${DEFAULT-VALUE}).")
  int keys = 200;

  @Option(names = "--ms", description = "How long the function takes per event, on a timer (default: ${DEFAULT-VALUE}).")
  int millis = 20;

  @Option(names = "--max-in-flight", description = "delivery.maxInFlight for key and unordered (default: ${DEFAULT-VALUE}).")
  int maxInFlight = 100;

  @Option(names = "--orderings", split = ",", description = "Which to run, in this order (default: ordered,key,unordered).")
  List<String> orderings = ORDERINGS;

  @Option(names = "--timeout-seconds", description = "Give up on an ordering after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 120;

  public static void main(String[] args) {
    System.exit(new CommandLine(new KeyOrderBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!ORDERINGS.containsAll(orderings)) {
      System.err.println("--orderings takes " + ORDERINGS + ", got " + orderings);
      return 2;
    }
    System.out.printf(Locale.ROOT, "KeyOrderBench events=%d partitions=%d keys=%d ms=%d maxInFlight=%d orderings=%s %s%n",
        events, partitions, keys, millis, maxInFlight, orderings, HostInfo.describe());
    ResultTable table = new ResultTable("ordering", "events", "first reply s", "total s", "events/s incl. startup",
        "steady s", "events/s steady", "out of key order");
    Map<String, Double> steady = new HashMap<>();
    try (BenchKafka kafka = BenchKafka.start(); TempDirectory work = TempDirectory.create("fnmesh-bench")) {
      for (String ordering : orderings) {
        String input = "bench.keys." + ordering + ".in";
        String output = "bench.keys." + ordering + ".out";
        kafka.createTopic(input, partitions);
        kafka.createTopic(output, partitions);
        fill(kafka, input);
        Path meshFile = work.path().resolve("keys-" + ordering + ".yaml");
        Files.writeString(meshFile, meshYaml(ordering, input, output));
        MeshOptions options = BenchMesh.options(meshFile, Optional.of(kafka.bootstrapServers()),
            Files.createDirectories(work.path().resolve("mesh-data-" + ordering)));
        BenchMesh.Drained drained = BenchMesh.drain(kafka, options, output, partitions, events, timeoutSeconds);
        RecordCountWatcher.Timeline t = drained.timeline();
        long start = drained.startNanos();
        double steadyRate = t.steadyRate();
        steady.put(ordering, steadyRate);
        table.row(ordering, t.finalCount(), ResultTable.seconds(t.firstSeenNanos() - start),
            ResultTable.seconds(t.doneNanos() - start), ResultTable.rate(t.finalCount() / ((t.doneNanos() - start) / 1e9)),
            ResultTable.seconds(t.doneNanos() - t.firstSeenNanos()), ResultTable.rate(steadyRate),
            String.valueOf(outOfKeyOrder(kafka, output)));
      }
    }
    System.out.println();
    table.print(System.out);
    if (steady.containsKey("ordered")) {
      steady.forEach((ordering, rate) -> {
        if (!ordering.equals("ordered")) {
          System.out.printf(Locale.ROOT, "%s / ordered: %.1fx steady state%n", ordering, rate / steady.get("ordered"));
        }
      });
    }
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return 0;
  }

  private String meshYaml(String ordering, String input, String output) {
    return """
        functions:
          slow: { java: sleep, config: { ms: %d } }
        triggers:
          bench:
            kafka: { topic: %s, partitions: %d }
            function: slow
            reply: { topic: %s }
            delivery: { ordering: %s, maxInFlight: %d }
            scale: { min: %d, max: %d }
        """.formatted(millis, input, partitions, output, ordering, maxInFlight, partitions, partitions);
  }

  /** Event i is {@code e-i} with the partition key {@code k-(i mod keys)}, so each key's events are in id order. */
  private void fill(BenchKafka kafka, String topic) {
    BenchEvents sample = new BenchEvents(64);
    try (Producer<byte[], byte[]> producer = new KafkaProducer<>(kafka.settings().producerConfig("bench-keys-" + topic))) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        var event = CloudEventBuilder.v1(sample.event("e-" + i)).withExtension("partitionkey", "k-" + (i % keys)).build();
        sent.add(producer.send(CloudEventRecords.toRecord(topic, event, null)));
      }
      for (var send : sent) {
        send.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("filling topic=" + topic + " failed: " + e, e);
    }
  }

  /** Replies whose event id is lower than an earlier reply's of the same key (a reply is keyed like its event). */
  private long outOfKeyOrder(BenchKafka kafka, String topic) {
    Map<String, Integer> last = new HashMap<>();
    long outOfOrder = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        kafka.settings().consumerConfig("bench-keys-check", "bench-keys-check-" + topic, "earliest"))) {
      List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(all);
      consumer.seekToBeginning(all);
      long seen = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen < events && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          seen++;
          String key = new String(record.key(), StandardCharsets.UTF_8);
          Header id = record.headers().lastHeader("ce_id");
          int n = Integer.parseInt(new String(id.value(), StandardCharsets.UTF_8).substring(2));
          Integer before = last.put(key, n);
          if (before != null && before > n) {
            outOfOrder++;
          }
        }
      }
    }
    return outOfOrder;
  }
}
