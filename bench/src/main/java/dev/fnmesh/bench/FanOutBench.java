package dev.fnmesh.bench;

import dev.fnmesh.function.Function;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * What answering several events costs: one trigger replica (its verticle deployed directly, as PipelineBench's
 * {@code trigger}) draining a pre-filled topic with a function answering 1 event (the echo, the reference) and
 * with functions answering N, each pipeline on topics of its own on one embedded broker, one after the other.
 */
@Command(name = "FanOutBench", mixinStandardHelpOptions = true,
    description = "Events and replies per second of a trigger whose function answers 1 (reference) or N events.")
public final class FanOutBench implements Callable<Integer> {

  @Option(names = "--events", description = "Events per pipeline (default: ${DEFAULT-VALUE}).")
  int events = 100_000;

  @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
  int partitions = 8;

  @Option(names = "--fan-out", split = ",", description = "Replies per event of each pipeline after the echo "
      + "(default: ${DEFAULT-VALUE}).")
  List<Integer> fanOuts = List.of(3, 10);

  @Option(names = "--timeout-seconds", description = "Give up on a pipeline after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 180;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FanOutBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.printf(Locale.ROOT, "FanOutBench events=%d partitions=%d fanOut=%s %s%n", events, partitions, fanOuts,
        HostInfo.describe());
    List<Integer> runs = new ArrayList<>();
    runs.add(1);
    runs.addAll(fanOuts);
    ResultTable table = new ResultTable("replies/event", "events", "replies", "steady s", "events/s steady",
        "replies/s steady", "events/s vs echo");
    double reference = Double.NaN;
    try (BenchKafka kafka = BenchKafka.start()) {
      TopicFiller filler = new TopicFiller(kafka.settings(), new BenchEvents(100));
      // An unreported first round warms the JIT for every run alike.
      run(kafka, filler, "warmup", 1, events / 4);
      for (int replies : runs) {
        RecordCountWatcher.Timeline t = run(kafka, filler, "n" + replies, replies, events);
        double repliesPerSecond = t.steadyRate();
        double eventsPerSecond = repliesPerSecond / replies;
        if (replies == 1) {
          reference = eventsPerSecond;
        }
        table.row(replies, events, t.finalCount(), ResultTable.seconds(t.doneNanos() - t.firstSeenNanos()),
            ResultTable.rate(eventsPerSecond), ResultTable.rate(repliesPerSecond),
            ResultTable.percent(eventsPerSecond / reference));
      }
    }
    table.print(System.out);
    System.out.println("loadavg at end: " + HostInfo.loadAverage());
    return 0;
  }

  private RecordCountWatcher.Timeline run(BenchKafka kafka, TopicFiller filler, String name, int replies, int count)
      throws Exception {
    String input = "bench.fanout." + name + ".in";
    String output = "bench.fanout." + name + ".out";
    String trigger = "bench-fanout-" + name;
    kafka.createTopic(input, partitions);
    kafka.createTopic(output, partitions);
    kafka.createTopic(TriggerPipeline.deadLetterTopic(trigger), partitions);
    filler.fill(input, count);
    try (RecordCountWatcher watcher = new RecordCountWatcher(kafka.settings(), output, partitions,
        (long) count * replies, Duration.ofSeconds(timeoutSeconds));
        TriggerPipeline pipeline = new TriggerPipeline(kafka.settings(), trigger, input, output, 10_000)) {
      var timeline = watcher.start(() -> { });
      pipeline.start(answering(replies));
      return timeline.get(timeoutSeconds + 10L, TimeUnit.SECONDS);
    }
  }

  /** Answers every event with itself {@code replies} times, each with an id of its own. */
  private static Function answering(int replies) {
    return Function.fanOut("fan-out", (event, ctx) -> {
      List<CloudEvent> answers = new ArrayList<>(replies);
      for (int i = 0; i < replies; i++) {
        answers.add(replies == 1 ? event : CloudEventBuilder.v1(event).withId(event.getId() + "-" + i).build());
      }
      return Future.succeededFuture(answers);
    });
  }
}
