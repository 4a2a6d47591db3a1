package dev.fnmesh.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A diagnostic for writing to a topic the moment {@code createTopics} returned, as fnmesh's ingress does
 * for a topic it creates on first use: creates topics one after another and writes to each at once with an
 * idempotent producer, without waiting for partition leaders, and reports the writes that failed.
 */
@Command(name = "NewTopicProbe", mixinStandardHelpOptions = true,
    description = "Writes to topics right after creating them; counts failed writes.")
public final class NewTopicProbe implements Callable<Integer> {

  @Option(names = "--topics", description = "Topics to create and write (default: ${DEFAULT-VALUE}).")
  int topics = 10;

  @Option(names = "--events", description = "Events written to each (default: ${DEFAULT-VALUE}).")
  int events = 20_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NewTopicProbe()).execute(args));
  }

  @Override
  public Integer call() {
    System.out.println("NewTopicProbe " + HostInfo.describe());
    ResultTable table = new ResultTable("topic", "events", "s", "outcome");
    int failed = 0;
    try (BenchKafka kafka = BenchKafka.start();
        Admin admin = Admin.create(kafka.settings().adminConfig("bench-new-topic-probe"))) {
      TopicFiller filler = new TopicFiller(kafka.settings(), new BenchEvents(100));
      for (int i = 0; i < topics; i++) {
        String topic = "bench.new." + i;
        BenchKafka.await(admin.createTopics(List.of(new NewTopic(topic, 8, (short) 1))).all());
        long start = System.nanoTime();
        String outcome;
        try {
          filler.fill(topic, events);
          outcome = "ok";
        } catch (IllegalStateException e) {
          failed++;
          outcome = e.getMessage();
        }
        table.row(topic, events, ResultTable.seconds(System.nanoTime() - start), outcome);
      }
    }
    System.out.println();
    System.out.println("result:");
    table.print(System.out);
    System.out.printf(Locale.ROOT, "%d of %d topics had failed writes%n", failed, topics);
    return 0;
  }
}
