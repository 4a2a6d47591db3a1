package dev.fnmesh.bench;

import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.launcher.Main;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mesh across processes on this machine: {@code fnmesh controller} and two {@code fnmesh host} child
 * processes on the bench's embedded broker. Measures (1) scale from zero through a host's ingress, whose
 * wake-up request reaches the controller through the state topic, and (2) a host killed with SIGKILL
 * while events flow: how long until its replicas are given to the other host, the longest time an event
 * published after the kill waited for its reply, and whether any was lost. Usage: {@code --trials N}
 * (default 10).
 */
public final class ClusterBench {

  private static final int PARTITIONS = 4;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  // The controller and the hosts share one key, handed to them as a user would: in the environment.
  private final String clusterKey = new String(ClusterKey.generateText(), StandardCharsets.US_ASCII);
  private final Path work;
  private final String bootstrap;

  private ClusterBench(Path work, String bootstrap) {
    this.work = work;
    this.bootstrap = bootstrap;
  }

  public static void main(String[] args) throws Exception {
    int trials = args.length == 2 && args[0].equals("--trials") ? Integer.parseInt(args[1]) : 10;
    try (BenchKafka kafka = BenchKafka.start(); TempDirectory work = TempDirectory.create("fnmesh-bench-cluster")) {
      ClusterBench bench = new ClusterBench(work.path(), kafka.bootstrapServers());
      try {
        bench.run(trials);
      } finally {
        bench.stopAll();
      }
    }
  }

  private void run(int trials) throws Exception {
    Path meshFile = work.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          echo: { java: echo }
        triggers:
          idle:
            kafka: { topic: idle, partitions: %1$d }
            function: echo
            reply: { topic: idle.replies }
            scale: { cooldown: PT0.5S, pollInterval: PT1S }
          steady:
            kafka: { topic: steady, partitions: %1$d }
            function: echo
            reply: { topic: steady.replies }
            scale: { min: %1$d, max: %1$d }
        """.formatted(PARTITIONS));
    int controllerPort = freePort();
    int hostA = freePort();
    int hostB = freePort();
    start("controller", controllerPort, "controller", "--config", meshFile.toString());
    start("host-a", hostA, "host", "--host-id", "host-a");
    Process victim = start("host-b", hostB, "host", "--host-id", "host-b");
    awaitPlacement(controllerPort, "steady", Map.of("host-a", 2, "host-b", 2));

    List<Long> wake = wakeTrials(controllerPort, hostA, hostB, trials);
    System.out.printf("%n| scale from zero across processes | trials | median ms | p99 ms | max ms |%n"
        + "| --- | --- | --- | --- | --- |%n| POST to a host → wake request on the state topic → controller → replica on a host"
        + " → reply readable | %d | %d | %d | %d |%n", trials, percentile(wake, 50), percentile(wake, 99),
        wake.get(wake.size() - 1));

    takeover(controllerPort, victim);
  }

  private List<Long> wakeTrials(int controllerPort, int hostA, int hostB, int trials) throws Exception {
    List<Long> times = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> replies = replyReader("idle.replies")) {
      for (int trial = 0; trial < trials; trial++) {
        awaitDesired(controllerPort, "idle", 0);
        int port = trial % 2 == 0 ? hostA : hostB;
        long start = System.nanoTime();
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/topics/idle"))
            .header("ce-specversion", "1.0").header("ce-id", "wake-" + trial).header("ce-source", "/bench")
            .header("ce-type", "t").header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        if (accepted.statusCode() != 202) {
          throw new IllegalStateException("publish refused: " + accepted.body());
        }
        while (replies.poll(Duration.ofMillis(5)).isEmpty()) {
          // Waiting for the reply of the woken trigger.
        }
        times.add((System.nanoTime() - start) / 1_000_000);
      }
    }
    Collections.sort(times);
    return times;
  }

  private void takeover(int controllerPort, Process victim) throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Long> repliedAt = new ConcurrentHashMap<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicBoolean reading = new AtomicBoolean(true);
    Thread producer = new Thread(() -> produce(sentAt, producing), "bench-producer");
    Thread reader = new Thread(() -> readReplies(repliedAt, reading), "bench-replies");
    reader.start();
    producer.start();
    Thread.sleep(3000);
    long killedAt = System.nanoTime();
    victim.destroyForcibly().waitFor();
    awaitPlacement(controllerPort, "steady", Map.of("host-a", 4));
    long movedMs = (System.nanoTime() - killedAt) / 1_000_000;
    Thread.sleep(15_000);
    producing.set(false);
    producer.join();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!repliedAt.keySet().containsAll(sentAt.keySet()) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    reading.set(false);
    reader.join();
    long longestWaitMs = 0;
    int afterKill = 0;
    for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
      Long replied = repliedAt.get(sent.getKey());
      if (sent.getValue() >= killedAt && replied != null) {
        afterKill++;
        longestWaitMs = Math.max(longestWaitMs, (replied - sent.getValue()) / 1_000_000);
      }
    }
    long lost = sentAt.keySet().stream().filter(id -> !repliedAt.containsKey(id)).count();
    System.out.printf("%n| host killed (SIGKILL), 4 replicas on 2 hosts, an event per partition every 20 ms | result |%n"
        + "| --- | --- |%n| replicas given to the surviving host after | %d ms |%n"
        + "| longest wait of an event published after the kill | %d ms (%d events) |%n"
        + "| events never replied | %d of %d |%n", movedMs, longestWaitMs, afterKill, lost, sentAt.size());
    System.out.printf("%nThe longest wait is bounded by the broker's consumer group session timeout"
        + " (group.consumer.session.timeout.ms, 6 s on the embedded broker): only then does the group give the dead"
        + " members' partitions to the surviving replicas.%n");
  }

  private void produce(Map<String, Long> sentAt, AtomicBoolean producing) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
      long sequence = 0;
      while (producing.get()) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
          String id = "e-" + sequence++;
          CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create("/bench")).withType("t")
              .withData("text/plain", id.getBytes(StandardCharsets.UTF_8)).build();
          ProducerRecord<byte[], byte[]> record = CloudEventRecords.toRecord("steady", event, null);
          sentAt.put(id, System.nanoTime());
          producer.send(new ProducerRecord<>("steady", partition, record.key(), record.value(), record.headers()));
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readReplies(Map<String, Long> repliedAt, AtomicBoolean reading) {
    try (KafkaConsumer<byte[], byte[]> replies = replyReader("steady.replies")) {
      while (reading.get()) {
        replies.poll(Duration.ofMillis(20)).forEach(record ->
            repliedAt.putIfAbsent(CloudEventRecords.fromRecord(record).getId(), System.nanoTime()));
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> replyReader(String topic) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    List<TopicPartition> partitions = new ArrayList<>();
    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  private Process start(String name, int port, String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    line.addAll(List.of(command));
    line.addAll(List.of("--kafka", bootstrap, "--http-port", String.valueOf(port)));
    Path log = work.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("FNMESH_CLUSTER_KEY", clusterKey);
    Process process = builder.start();
    processes.add(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited:\n" + Files.readString(log));
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/healthz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after 120 s");
      }
      Thread.sleep(200);
    }
  }

  private JsonObject trigger(int controllerPort, String name) throws Exception {
    var triggers = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + controllerPort
        + "/api/triggers")).build(), HttpResponse.BodyHandlers.ofString()).body()).getJsonArray("triggers");
    for (int i = 0; i < triggers.size(); i++) {
      if (triggers.getJsonObject(i).getString("name").equals(name)) {
        return triggers.getJsonObject(i);
      }
    }
    throw new IllegalStateException("no trigger " + name);
  }

  private void awaitPlacement(int controllerPort, String name, Map<String, Integer> wanted) throws Exception {
    while (!trigger(controllerPort, name).getJsonObject("scaling").getJsonObject("hosts").getMap().equals(wanted)) {
      Thread.sleep(20);
    }
  }

  private void awaitDesired(int controllerPort, String name, int desired) throws Exception {
    while (trigger(controllerPort, name).getJsonObject("scaling").getInteger("desiredReplicas") != desired) {
      Thread.sleep(50);
    }
  }

  private void stopAll() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static long percentile(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
