package dev.fnmesh.bench;

import dev.fnmesh.launcher.Mesh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How throughput grows with replicas, and how fast a backlog brings a trigger at zero to its cap. For each
 * replica count N (1, 2, 4, 8) a trigger pinned to N replicas ({@code min = max = N}) drains the same
 * backlog through a function that waits {@code --ms} on a timer (default 0: an echo); then a trigger at zero
 * with {@code max 8} meets the backlog and the time until it runs 8 replicas is measured. Usage:
 * {@code --events N --ms M}.
 */
public final class ReplicaScalingBench {

  private static final int PARTITIONS = 8;

  private ReplicaScalingBench() {}

  public static void main(String[] args) throws Exception {
    int events = intOption(args, "--events", 100_000);
    int ms = intOption(args, "--ms", 0);
    try (BenchKafka kafka = BenchKafka.start(); TempDirectory work = TempDirectory.create("fnmesh-bench-replicas")) {
      TopicFiller filler = new TopicFiller(kafka.settings(), new BenchEvents(100));
      System.out.printf("%n| replicas | events | drain s (first to last reply) | events/s |%n| --- | --- | --- | --- |%n");
      for (int replicas : new int[] {1, 2, 4, 8}) {
        String topic = "drain-" + replicas;
        kafka.createTopic(topic, PARTITIONS);
        filler.fill(topic, events);
        Path mesh = meshFile(work.path(), topic, ms, "{ min: " + replicas + ", max: " + replicas + " }");
        try (Mesh running = Mesh.start(BenchMesh.options(mesh, Optional.of(kafka.bootstrapServers()),
            work.path().resolve("data-" + replicas)));
             RecordCountWatcher watcher = new RecordCountWatcher(kafka.settings(), topic + ".replies", PARTITIONS,
                 events, Duration.ofMinutes(5))) {
          var timeline = watcher.start(() -> {}).get();
          double seconds = (timeline.doneNanos() - timeline.firstSeenNanos()) / 1e9;
          long drained = timeline.finalCount() - timeline.countAtFirstSeen();
          System.out.printf("| %d | %d | %.2f | %,.0f |%n", replicas, events, seconds, drained / seconds);
        }
      }
      String topic = "to-cap";
      kafka.createTopic(topic, PARTITIONS);
      filler.fill(topic, events);
      Path mesh = meshFile(work.path(), topic, ms, "{ max: 8, lagThreshold: 10, pollInterval: PT0.25S }");
      long start = System.nanoTime();
      try (Mesh running = Mesh.start(BenchMesh.options(mesh, Optional.of(kafka.bootstrapServers()),
          work.path().resolve("data-cap")))) {
        long ready = (System.nanoTime() - start) / 1_000_000;
        HttpClient http = HttpClient.newHttpClient();
        while (replicas(http, running) < 8) {
          Thread.sleep(10);
        }
        long atCap = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%nA backlog of %d events brought a trigger at zero to its cap of 8 replicas %d ms after"
            + " the mesh started (the mesh itself was ready after %d ms).%n", events, atCap, ready);
      }
    }
  }

  private static Path meshFile(Path dir, String topic, int ms, String scale) throws Exception {
    Path file = dir.resolve(topic + ".yaml");
    Files.writeString(file, """
        functions:
          work: { java: sleep, config: { ms: %3$d } }
        triggers:
          bench:
            kafka: { topic: %1$s, partitions: %2$d }
            function: work
            reply: { topic: %1$s.replies }
            scale: %4$s
        """.formatted(topic, PARTITIONS, ms, scale));
    return file;
  }

  private static int replicas(HttpClient http, Mesh mesh) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + mesh.httpPort() + "/api/triggers"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return new io.vertx.core.json.JsonObject(body).getJsonArray("triggers").getJsonObject(0).getInteger("replicas");
  }

  private static int intOption(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
