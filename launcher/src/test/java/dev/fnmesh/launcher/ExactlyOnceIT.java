package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once delivery across a crash: {@code fnmesh controller} and two {@code fnmesh host} processes share an
 * exactly-once trigger's replicas; one host is killed with SIGKILL while it handles a backlog. A read_committed
 * reader of the reply topic then finds every event replied to once: none lost, none twice.
 */
class ExactlyOnceIT {

  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int PARTITIONS = 4;
  private static final int BACKLOG = 3000;

  @TempDir
  Path dir;
  private MeshProcesses mesh;

  @AfterEach
  void stopProcesses() throws InterruptedException {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void aHostKilledMidBacklogLeavesEveryReplyOnceForReadCommittedReaders() throws Exception {
    String topic = KafkaFixture.uniqueTopic("exactly");
    String stateTopic = topic + ".state";
    mesh = new MeshProcesses(dir, WAIT);
    Path meshFile = dir.resolve("mesh.yaml");
    Files.writeString(meshFile, """
        functions:
          slow: { java: sleep, config: { ms: 5 } }
        triggers:
          %1$s:
            kafka: { topic: %1$s, partitions: %2$d }
            function: slow
            reply: { topic: %1$s.replies }
            delivery: { guarantee: exactly-once }
            scale: { min: 4, max: 4 }
        """.formatted(topic, PARTITIONS));
    int controllerPort = MeshProcesses.freePort();
    mesh.start("controller", controllerPort, "controller", "--config", meshFile.toString(), "--state-topic", stateTopic,
        "--host-timeout", "PT10S");
    Map<String, Integer> hostPorts = new LinkedHashMap<>();
    for (String host : List.of("host-a", "host-b")) {
      int port = MeshProcesses.freePort();
      hostPorts.put(host, port);
      mesh.start(host, port, "host", "--host-id", host, "--state-topic", stateTopic);
    }
    // Two replicas on each host, each with a partition of its own.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
        mesh.placement(controllerPort).equals(Map.of("host-a", 2, "host-b", 2))
            && mesh.triggerOn(hostPorts.get("host-a")).getString("state").equals("running")
            && mesh.triggerOn(hostPorts.get("host-b")).getString("state").equals("running"));

    MeshProcesses.writeEvents(topic, BACKLOG, PARTITIONS);
    int victimPort = hostPorts.get("host-b");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
        mesh.triggerOn(victimPort).getJsonObject("events").getLong("succeeded") > 100);
    mesh.process("host-b").destroyForcibly().waitFor();
    assertTrue(repliesSoFar(topic + ".replies") < BACKLOG,
        "the host was killed while the backlog was being handled");

    Map<String, Integer> replies = readCommittedReplies(topic + ".replies", BACKLOG, WAIT);
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      if (!replies.containsKey("event-" + i)) {
        lost.add("event-" + i);
      }
    }
    Map<String, Integer> twice = replies.entrySet().stream().filter(entry -> entry.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertEquals(List.of(), lost.subList(0, Math.min(10, lost.size())), () -> lost.size() + " lost\n" + mesh.logs());
    assertEquals(Map.of(), twice, () -> twice.size() + " replied to more than once\n" + mesh.logs());
    assertEquals(BACKLOG, replies.size());
  }

  /** Replies readable now by a read_committed reader: the killed host's open transaction is not among them. */
  private static long repliesSoFar(String topic) {
    return readCommitted(topic, records -> true, Duration.ZERO).size();
  }

  /**
   * Reads the topic read_committed until {@code count} distinct ids arrived, then on to its last stable offset, so
   * that a reply written twice would be counted too.
   *
   * @return how often each id was read
   */
  private static Map<String, Integer> readCommittedReplies(String topic, int count, Duration timeout) {
    Map<String, Integer> seen = new HashMap<>();
    readCommitted(topic, record -> {
      seen.merge(TestMesh.idOf(record), 1, Integer::sum);
      return seen.size() < count;
    }, timeout);
    return seen;
  }

  /**
   * @param more told each record; reading stops once it answered false and the end was reached, or at the timeout
   */
  private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic,
      Predicate<ConsumerRecord<byte[], byte[]>> more, Duration timeout) {
    Map<String, Object> config = KafkaFixture.consumerConfig("reader-" + System.nanoTime());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      boolean wantMore = true;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
          wantMore = more.test(record);
        }
        // read_committed end offsets are the last stable offsets.
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        boolean atEnd = partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
        if ((!wantMore && atEnd) || System.nanoTime() > deadline || (timeout.isZero() && atEnd)) {
          return records;
        }
      }
    }
  }

}
