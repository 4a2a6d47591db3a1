package dev.fnmesh.bench;

import dev.fnmesh.broker.KafkaSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Faults of one trigger of a running mesh, injected through what a user has too: the mesh API ({@code PUT /api/mesh},
 * {@code GET /api/triggers}) and Kafka's admin client. Each blocks for as long as the fault lasts.
 */
final class TriggerFaults {

  /** The mesh's text with the storm trigger's {@code scale} replaced, and with or without the crash-looping trigger. */
  interface MeshText {
    String with(String stormScale, boolean crashLoop);
  }

  private static final Duration STATE_WAIT = Duration.ofSeconds(120);
  private static final int LIMITED_BYTES = 4096;
  private static final int KAFKA_DEFAULT_BYTES = 1024 * 1024;

  private final URI base;
  private final KafkaSettings kafka;
  private final MeshText mesh;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param base the mesh's HTTP address, e.g. {@code http://127.0.0.1:8080} */
  TriggerFaults(URI base, KafkaSettings kafka, MeshText mesh) {
    this.base = base;
    this.kafka = kafka;
    this.mesh = mesh;
  }

  /**
   * Lowers the reply topic's {@code max.message.bytes} to 4 KiB, publishes one event of 8000 bytes that the echo
   * function answers with a reply as large, waits until {@code GET /api/triggers} shows the trigger stalled, keeps
   * it so for {@code hold}, then raises the limit back to 1 MiB with the admin client and waits until the trigger
   * runs again.
   */
  FaultScenarios.Fault oversizedReply(String trigger, Duration hold) {
    String replies = trigger + ".replies";
    return new FaultScenarios.Fault() {
      private String report = "not run";

      @Override
      public void run() throws Exception {
        setMaxMessageBytes(replies, LIMITED_BYTES);
        char[] big = new char[8000];
        Arrays.fill(big, 'x');
        long sent = System.nanoTime();
        int status = post(trigger + ".in", "oversized", "\"" + new String(big) + "\"");
        JsonObject stalled = awaitState(trigger, state -> state.equals("stalled"));
        long stalledAt = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(hold.toNanos());
        setMaxMessageBytes(replies, KAFKA_DEFAULT_BYTES);
        long raised = System.nanoTime();
        awaitState(trigger, state -> state.equals("running"));
        report = String.format(Locale.ROOT, "oversized event answered %d; stalled %.1f s after it, reason: \"%s\"; "
            + "running again %.1f s after the limit was raised", status, (stalledAt - sent) / 1e9,
            abbreviated(stalled.getString("error", ""), 160), (System.nanoTime() - raised) / 1e9);
      }

      @Override
      public void settle() throws Exception {
        try (ReplyLedger ledger = new ReplyLedger(kafka, replies, "ce_id")) {
          boolean replied = ledger.awaitAll(Set.of("oversized"), Duration.ofSeconds(60));
          report += replied ? "; the oversized reply was written" : "; the oversized reply is MISSING";
        }
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  /**
   * Adds to the mesh a trigger whose function is a process that exits at once, every time it is started, publishes
   * {@code count} events to it over {@code over}, then reports what {@code GET /api/triggers} says of it, how many
   * of its events wait in its topic unconsumed and how many were dead-lettered, and removes it again.
   */
  FaultScenarios.Fault crashLoop(int count, Duration over) {
    return new FaultScenarios.Fault() {
      private String report = "not run";

      @Override
      public void run() throws Exception {
        putMesh(mesh.with(null, true));
        int accepted = 0;
        for (int i = 0; i < count; i++) {
          accepted += post("crashing.in", "crash-" + i, "{}") == 202 ? 1 : 0;
          TimeUnit.NANOSECONDS.sleep(over.toNanos() / count);
        }
        JsonObject status = awaitState("crashing", state -> !state.equals("starting"));
        long committed = committedOffsets("crashing.in", "fnmesh.crashing");
        long deadLettered = endOffsets("fnmesh.crashing.dlq");
        putMesh(mesh.with(null, false));
        report = String.format(Locale.ROOT, "%d events accepted for a function that exits at once; state %s, "
            + "reason: \"%s\"; consumed %d, dead-lettered %d, the rest wait in crashing.in", accepted,
            status.getString("state"), abbreviated(status.getString("error", ""), 160), committed, deadLettered);
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  /**
   * Rewrites the mesh through {@code PUT /api/mesh} every second for {@code over}, its storm trigger's replicas
   * alternating between {@code low} and {@code high} ({@code scale: {min, max}}), then puts it back as it was.
   */
  FaultScenarios.Fault rebalanceStorm(int low, int high, Duration over) {
    return new FaultScenarios.Fault() {
      private String report = "not run";

      @Override
      public void run() throws Exception {
        long end = System.nanoTime() + over.toNanos();
        int puts = 0;
        int refused = 0;
        while (System.nanoTime() < end) {
          int replicas = puts % 2 == 0 ? high : low;
          refused += putMesh(mesh.with("{ min: " + replicas + ", max: " + replicas + " }", false)) == 200 ? 0 : 1;
          puts++;
          TimeUnit.SECONDS.sleep(1);
        }
        putMesh(mesh.with(null, false));
        report = String.format(Locale.ROOT, "%d mesh puts, replicas %d <-> %d every second for %d s; %d refused",
            puts, low, high, over.toSeconds(), refused);
      }

      @Override
      public String report() {
        return report;
      }
    };
  }

  private int post(String topic, String id, String json) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/topics/" + topic)).timeout(Duration.ofSeconds(30))
        .header("ce-specversion", "1.0").header("ce-id", id).header("ce-source", "/faultbench")
        .header("ce-type", "bench.fault").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private int putMesh(String text) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/mesh")).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(text)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      System.err.println("PUT /api/mesh answered " + response.statusCode() + ": " + response.body());
    }
    return response.statusCode();
  }

  private JsonObject awaitState(String trigger, Predicate<String> state) throws Exception {
    long deadline = System.nanoTime() + STATE_WAIT.toNanos();
    JsonObject last = new JsonObject();
    while (System.nanoTime() < deadline) {
      Optional<JsonObject> status = trigger(trigger);
      if (status.isPresent()) {
        last = status.get();
        if (state.test(last.getString("state", ""))) {
          return last;
        }
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("trigger " + trigger + " did not reach the state awaited within " + STATE_WAIT
        + "; last seen: " + last.encode());
  }

  private Optional<JsonObject> trigger(String name) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/triggers"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    JsonArray triggers = new JsonObject(response.body()).getJsonArray("triggers");
    for (int i = 0; i < triggers.size(); i++) {
      if (name.equals(triggers.getJsonObject(i).getString("name"))) {
        return Optional.of(triggers.getJsonObject(i));
      }
    }
    return Optional.empty();
  }

  private void setMaxMessageBytes(String topic, int bytes) throws Exception {
    try (Admin admin = Admin.create(kafka.adminConfig("faultbench-admin"))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
          new ConfigEntry("max.message.bytes", String.valueOf(bytes)), AlterConfigOp.OpType.SET))))
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  private long endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.adminConfig("faultbench-admin"))) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return 0;
      }
      Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
          .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      return admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset()).sum();
    }
  }

  private long committedOffsets(String topic, String group) throws Exception {
    try (Admin admin = Admin.create(kafka.adminConfig("faultbench-admin"))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset()).sum();
    }
  }

  // The start says what failed, the end how often and when next: both are kept.
  private static String abbreviated(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max * 2 / 3) + " ... " + text.substring(text.length() - max / 3);
  }
}
