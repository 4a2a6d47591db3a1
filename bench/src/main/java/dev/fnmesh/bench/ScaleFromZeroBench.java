package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.launcher.Mesh;
import dev.fnmesh.launcher.HttpPortSettings;
import dev.fnmesh.launcher.MeshOptions;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Time from an event POSTed for a trigger at zero replicas to its reply on the reply topic, over repeated
 * trials; the ingress wakes the trigger at once (the activator path). Each trial waits until the trigger is
 * back at zero. Usage: {@code --trials N} (default 15).
 */
public final class ScaleFromZeroBench {

  private ScaleFromZeroBench() {}

  public static void main(String[] args) throws Exception {
    int trials = args.length == 2 && args[0].equals("--trials") ? Integer.parseInt(args[1]) : 15;
    try (BenchKafka kafka = BenchKafka.start(); TempDirectory work = TempDirectory.create("fnmesh-bench-zero")) {
      Path meshFile = work.path().resolve("mesh.yaml");
      Files.writeString(meshFile, """
          functions:
            echo: { java: echo }
          triggers:
            idle:
              kafka: { topic: zero, partitions: 4 }
              function: echo
              reply: { topic: zero.replies }
              scale: { cooldown: PT0.5S, pollInterval: PT0.25S }
          """);
      try (Mesh mesh = Mesh.start(new MeshOptions(meshFile, HttpPortSettings.loopback(0), 0, Optional.of(KafkaSettings.of(kafka.bootstrapServers())),
          work.path().resolve("data"), work.path().resolve("schemas"), work.path().resolve("functions"),
          IngressSettings.defaults(), Duration.ZERO, Optional.empty(), false));
          KafkaConsumer<byte[], byte[]> replies = new KafkaConsumer<>(Map.of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
              ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
        HttpClient http = HttpClient.newHttpClient();
        List<TopicPartition> partitions = new ArrayList<>();
        replies.partitionsFor("zero.replies").forEach(p -> partitions.add(new TopicPartition("zero.replies", p.partition())));
        replies.assign(partitions);
        replies.seekToEnd(partitions);
        partitions.forEach(replies::position);
        List<Long> viaIngress = new ArrayList<>();
        for (int trial = 0; trial < trials; trial++) {
          awaitZero(http, mesh);
          long start = System.nanoTime();
          HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + mesh.httpPort()
                  + "/topics/zero")).header("ce-specversion", "1.0").header("ce-id", "t-" + trial)
              .header("ce-source", "/bench").header("ce-type", "t").POST(HttpRequest.BodyPublishers.ofString("x"))
              .header("content-type", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
          if (accepted.statusCode() != 202) {
            throw new IllegalStateException("publish refused: " + accepted.body());
          }
          while (replies.poll(Duration.ofMillis(5)).isEmpty()) {
            // Waiting for the reply of the woken trigger.
          }
          viaIngress.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(viaIngress);
        System.out.printf("%n| wake path | trials | median ms | p99 ms | max ms |%n| --- | --- | --- | --- | --- |%n");
        System.out.printf("| HTTP ingress (activator) | %d | %d | %d | %d |%n", trials, percentile(viaIngress, 50),
            percentile(viaIngress, 99), viaIngress.get(viaIngress.size() - 1));
        System.out.printf("%nEach trial: the trigger at zero replicas, one event POSTed, time until its reply is"
            + " readable on the reply topic (includes consumer group join, fetch, function, reply write).%n");
      }
    }
  }

  private static long percentile(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static void awaitZero(HttpClient http, Mesh mesh) throws Exception {
    while (true) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + mesh.httpPort() + "/api/triggers"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      if (new JsonObject(body).getJsonArray("triggers").getJsonObject(0).getInteger("replicas") == 0) {
        return;
      }
      Thread.sleep(50);
    }
  }
}
