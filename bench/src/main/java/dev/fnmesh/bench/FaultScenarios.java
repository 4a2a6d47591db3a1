package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.kafka.embedded.KafkaProcessCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The faults FaultBench injects while its clients publish; each blocks for as long as the fault lasts. */
final class FaultScenarios {

  /** A fault: {@code run} injects it and returns once it is over, {@code settle} waits for its aftermath. */
  interface Fault {
    void run() throws Exception;

    default void settle() throws Exception {}

    /** What happened, in a few words for the result table. */
    String report();
  }

  // A record that was no CloudEvent is dead-lettered as it is, with a plain header; an event the function
  // failed on, as a CloudEvent with an extension.
  private static final String[] ERROR_CODE_HEADERS = {"fnmesh_errorcode", "ce_fnmesherrorcode"};

  private final KafkaProcessCluster cluster;
  private final KafkaSettings kafka;

  FaultScenarios(KafkaProcessCluster cluster, KafkaSettings kafka) {
    this.cluster = cluster;
    this.kafka = kafka;
  }

  /**
   * Stops a broker that leads partitions of {@code topic} (not the controller quorum's leader, whose loss is a
   * fault of its own) for {@code away}, then starts it again on its data: cleanly (SIGTERM, its leadership moves
   * first) or, with {@code kill}, with SIGKILL, as a crash.
   */
  Fault brokerStop(String topic, Duration away, boolean kill) {
    return new Fault() {
      private String report = "not run";

      @Override
      public void run() throws Exception {
        int broker = leaderToStop(topic);
        long stopping = System.nanoTime();
        if (kill) {
          cluster.kill(broker);
        } else {
          cluster.stop(broker);
        }
        long stopped = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(away.toNanos());
        long starting = System.nanoTime();
        cluster.start(broker);
        report = String.format(Locale.ROOT, "broker %d %s, away %.1f s (%s %.1f s, start %.1f s)", broker,
            kill ? "killed (SIGKILL)" : "stopped", (System.nanoTime() - stopping) / 1e9, kill ? "kill" : "stop",
            (stopped - stopping) / 1e9, (System.nanoTime() - starting) / 1e9);
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  /**
   * Writes a backlog of {@code backlog} events straight to {@code topic} (acks=all), then kills with SIGKILL a
   * broker leading partitions of it once a tenth of the backlog was replied to, and starts it again after
   * {@code away}. Settled once every event of the backlog has a reply, or the wait is over: the report counts
   * those without one.
   */
  Fault drainKill(String topic, int backlog, Duration away, Duration wait) {
    String replies = topic.substring(0, topic.indexOf('.')) + ".replies";
    // The ids TopicFiller gives.
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < backlog; i++) {
      ids.add("e-" + i);
    }
    return new Fault() {
      private String report = "not run";
      private int broker;
      private long repliedAtKill;

      @Override
      public void run() throws Exception {
        try (ReplyLedger ledger = new ReplyLedger(kafka, replies, "ce_id")) {
          new TopicFiller(kafka, new BenchEvents(64)).fill(topic, backlog);
          long deadline = System.nanoTime() + wait.toNanos();
          while (ledger.records() < backlog / 10 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
          }
          repliedAtKill = ledger.records();
        }
        broker = leaderToStop(topic);
        cluster.kill(broker);
        TimeUnit.NANOSECONDS.sleep(away.toNanos());
        cluster.start(broker);
      }

      @Override
      public void settle() throws Exception {
        try (ReplyLedger ledger = new ReplyLedger(kafka, replies, "ce_id")) {
          ledger.awaitAll(ids, wait);
          report = String.format(Locale.ROOT, "backlog of %d written; broker %d killed (SIGKILL) after %d replies, "
              + "back after %d s; backlog without a reply: %d, replied more than once: %d", backlog, broker,
              repliedAtKill, away.toSeconds(), ledger.missing(ids), ledger.duplicated(ids));
        }
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  /**
   * Writes a backlog of {@code backlog} events straight to {@code topic}, then, once a tenth of it was replied to,
   * injects {@code kill} (a host killed with SIGKILL, say). Settled once every event of the backlog has a reply,
   * or the wait is over; the report counts those without one and those replied to more than once, as a
   * read_committed reader sees them.
   */
  Fault backlogThen(String topic, int backlog, Fault kill, Duration wait) {
    String replies = topic.substring(0, topic.indexOf('.')) + ".replies";
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < backlog; i++) {
      ids.add("e-" + i);
    }
    return new Fault() {
      private String report = "not run";
      private long repliedAtKill;

      @Override
      public void run() throws Exception {
        try (ReplyLedger ledger = new ReplyLedger(kafka, replies, "ce_id")) {
          new TopicFiller(kafka, new BenchEvents(64)).fill(topic, backlog);
          long deadline = System.nanoTime() + wait.toNanos();
          while (ledger.missing(ids) > backlog - backlog / 10 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
          }
          repliedAtKill = backlog - ledger.missing(ids);
        }
        kill.run();
      }

      @Override
      public void settle() throws Exception {
        try (ReplyLedger ledger = new ReplyLedger(kafka, replies, "ce_id")) {
          ledger.awaitAll(ids, wait);
          report = String.format(Locale.ROOT, "backlog of %d written; %s after %d of it were replied to; backlog "
              + "without a reply: %d, replied more than once: %d", backlog, kill.report(), repliedAtKill,
              ledger.missing(ids), ledger.duplicated(ids));
        }
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  /**
   * Writes {@code count} records no CloudEvents reader can decode straight to {@code topic}, spread over
   * {@code over} and over every partition: structured JSON cut off mid-object, random bytes without headers,
   * and binary-mode records of an unknown specversion. Settled once all of them are in the dead-letter topic.
   */
  Fault poison(String topic, int count, Duration over) {
    String trigger = topic.substring(0, topic.indexOf('.'));
    return new Fault() {
      private String report = "not run";

      @Override
      public void run() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig("faultbench-poison"))) {
          int partitions = producer.partitionsFor(topic).size();
          Random random = new Random(20_261_207);
          for (int i = 0; i < count; i++) {
            producer.send(poisonRecord(topic, i % partitions, i, random)).get(30, TimeUnit.SECONDS);
            TimeUnit.NANOSECONDS.sleep(over.toNanos() / count);
          }
        }
      }

      @Override
      public void settle() throws Exception {
        try (ReplyLedger letters = new ReplyLedger(kafka, "fnmesh." + trigger + ".dlq", ERROR_CODE_HEADERS)) {
          letters.awaitRecords(count, Duration.ofSeconds(60));
          report = String.format(Locale.ROOT, "%d poison records; dead letters by error code: %s", count,
              letters.counts());
        }
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  /**
   * Publishes {@code count} events over HTTP, spread over {@code over}, that ask the trigger's sleep function
   * to wait an hour: each holds its partition until the trigger's delivery timeout and is dead-lettered.
   * Settled once all of them are in the dead-letter topic.
   */
  Fault hangingFunction(URI topicUrl, String trigger, int count, Duration over) {
    return new Fault() {
      private String report = "not run";
      private int accepted;

      @Override
      public void run() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < count; i++) {
          HttpRequest request = HttpRequest.newBuilder(topicUrl).timeout(Duration.ofSeconds(10))
              .header("ce-specversion", "1.0").header("ce-id", "hang-" + i).header("ce-source", "/faultbench")
              .header("ce-type", "bench.hang").header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"ms\":3600000}")).build();
          if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
            accepted++;
          }
          TimeUnit.NANOSECONDS.sleep(over.toNanos() / count);
        }
      }

      @Override
      public void settle() throws Exception {
        try (ReplyLedger letters = new ReplyLedger(kafka, "fnmesh." + trigger + ".dlq", ERROR_CODE_HEADERS)) {
          letters.awaitRecords(accepted, Duration.ofSeconds(60));
          report = String.format(Locale.ROOT, "%d hanging events accepted; dead letters by error code: %s", accepted,
              letters.counts());
        }
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  private static ProducerRecord<byte[], byte[]> poisonRecord(String topic, int partition, int n, Random random) {
    return switch (n % 3) {
      case 0 -> new ProducerRecord<>(topic, partition, bytes("cut-" + n), bytes("{\"specversion\":\"1.0\",\"id\":"
          + "\"cut-" + n + "\",\"source\":\"/faultbench\",\"type\":\"t\",\"data\":{\"n\":"),
          List.of(new RecordHeader("content-type", bytes("application/cloudevents+json"))));
      case 1 -> {
        byte[] garbage = new byte[256];
        random.nextBytes(garbage);
        yield new ProducerRecord<>(topic, partition, null, garbage);
      }
      default -> new ProducerRecord<>(topic, partition, bytes("old-" + n), bytes("{}"),
          List.of(new RecordHeader("ce_specversion", bytes("0.9")), new RecordHeader("ce_id", bytes("old-" + n)),
              new RecordHeader("ce_source", bytes("/faultbench")), new RecordHeader("ce_type", bytes("t"))));
    };
  }

  private int leaderToStop(String topic) throws Exception {
    if (cluster.nodeIds().size() == 1) {
      return cluster.nodeIds().get(0);
    }
    try (Admin admin = Admin.create(kafka.adminConfig("faultbench-admin"))) {
      int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic);
      return description.partitions().stream().map(p -> p.leader()).filter(Objects::nonNull).map(n -> n.id())
          .filter(id -> id != controller).findFirst()
          .orElseGet(() -> cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
