package dev.fnmesh.launcher;

import dev.fnmesh.broker.IngressSettings;
import dev.fnmesh.broker.KafkaSettings;
import dev.fnmesh.broker.impl.CloudEventRecords;
import dev.fnmesh.kafka.fixture.KafkaClusterFixture;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short FaultBench (see bench/) on three brokers, each a process of its own (replication 3, min ISR 2): the
 * broker leading a partition of a trigger's topic is killed with SIGKILL while HTTP clients publish to it without
 * a pause, and while the trigger drains a backlog; every event acknowledged (202) or written has a reply
 * afterwards, and no request hangs or fails otherwise than with a 503.
 */
class FaultsIT {

  @RegisterExtension
  static final KafkaClusterFixture CLUSTER = KafkaClusterFixture.withBrokers(3);

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int PARTITIONS = 6;
  private static final int BACKLOG = 4000;
  private static Mesh mesh;
  private int killed = -1;

  @BeforeAll
  static void startMesh() throws Exception {
    Path file = Files.writeString(Files.createTempFile("mesh", ".yaml"), """
        functions:
          echo: { java: echo }
          slow: { java: sleep, config: { ms: 10 } }   # one at a time per partition: a drain of about 7 s
        triggers:
          steady:
            kafka: { topic: steady.in, partitions: %1$d }
            function: echo
            reply: { topic: steady.replies }
          drain:
            kafka: { topic: drain.in, partitions: %1$d }
            function: slow
            reply: { topic: drain.replies }
        """.formatted(PARTITIONS));
    mesh = Mesh.start(new MeshOptions(file, HttpPortSettings.loopback(0), 0,
        Optional.of(KafkaSettings.of(CLUSTER.bootstrapServers())), Files.createTempDirectory("fnmesh-data"),
        Path.of("../examples/schemas"), Path.of("../functions"), IngressSettings.defaults(), Duration.ZERO,
        Optional.empty(), false));
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @AfterEach
  void startTheKilledBrokerAgain() {
    if (killed > 0 && !CLUSTER.runningBrokers().contains(killed)) {
      CLUSTER.startBroker(killed);
    }
  }

  @Test
  void noAcknowledgedEventIsLostWhenThePartitionLeaderBrokerIsKilledUnderHttpLoad() throws Exception {
    HttpLoad load = HttpLoad.start(URI.create("http://127.0.0.1:" + mesh.httpPort() + "/topics/steady.in"), "steady", 3);
    await("100 acknowledged before the fault", () -> load.acknowledged() >= 100);
    killed = partitionLeader("steady.in");
    CLUSTER.killBroker(killed);
    int atKill = load.acknowledged();
    await("200 acknowledged with broker " + killed + " killed", () -> load.acknowledged() >= atKill + 200);
    CLUSTER.startBroker(killed);
    int atStart = load.acknowledged();
    await("100 acknowledged after the broker is back", () -> load.acknowledged() >= atStart + 100);
    List<HttpLoad.Answer> answers = load.stop();

    Set<String> acknowledged = HttpLoad.acknowledged(answers);
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(HttpLoad.repliesFor(CLUSTER.bootstrapServers(), "steady.replies", acknowledged, WAIT).keySet());
    assertEquals(Set.of(), lost, "acknowledged events without a reply, of " + acknowledged.size());
    assertEquals(Map.of(), HttpLoad.otherThanAcceptedOrUnavailable(answers),
        "answers other than 202 and 503 (-1: none within 40 s)");
  }

  @Test
  void noEventIsLostWhenThePartitionLeaderBrokerIsKilledWhileATriggerDrainsABacklog() throws Exception {
    List<String> ids = IntStream.range(0, BACKLOG).mapToObj(i -> "backlog-" + i).toList();
    write("drain.in", ids);
    await("the trigger is draining", () -> count("drain.replies") >= BACKLOG / 8);
    killed = partitionLeader("drain.in");
    // Counted before the kill: reading the count afterwards waits on metadata while the drain goes on.
    long repliedAtKill = count("drain.replies");
    CLUSTER.killBroker(killed);
    assertTrue(repliedAtKill < BACKLOG, "the broker was killed while the backlog was being drained");

    Set<String> missing = new HashSet<>(ids);
    missing.removeAll(HttpLoad.repliesFor(CLUSTER.bootstrapServers(), "drain.replies", Set.copyOf(ids), WAIT).keySet());
    assertEquals(Set.of(), missing.stream().limit(10).collect(Collectors.toSet()),
        missing.size() + " events of the backlog without a reply");
  }

  private static void write(String topic, List<String> ids) throws Exception {
    var config = KafkaSettings.of(CLUSTER.bootstrapServers()).producerConfig("faults-it");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < ids.size(); i++) {
        var event = CloudEventBuilder.v1().withId(ids.get(i)).withSource(URI.create("/faults-it"))
            .withType("t").withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
        var record = CloudEventRecords.toRecord(topic, event, null);
        producer.send(new ProducerRecord<>(topic, i % PARTITIONS, record.key(), record.value(), record.headers()));
      }
      producer.flush();
    }
  }

  /** The records on the topic: the sum of its partitions' end offsets. */
  private static long count(String topic) {
    try (Admin admin = Admin.create(KafkaSettings.of(CLUSTER.bootstrapServers()).adminConfig("faults-it"))) {
      Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
          .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      return admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(info -> info.offset()).sum();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot count the records of " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting the records of " + topic, e);
    }
  }

  /** The broker leading the topic's first partition led by a broker that is not the controller quorum's leader. */
  private static int partitionLeader(String topic) throws Exception {
    try (Admin admin = Admin.create(KafkaSettings.of(CLUSTER.bootstrapServers()).adminConfig("faults-it"))) {
      int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
      for (int partition = 0; partition < PARTITIONS; partition++) {
        Optional<Integer> leader = CLUSTER.leaderOf(topic, partition);
        if (leader.isPresent() && leader.get() != controller) {
          return leader.get();
        }
      }
      throw new IllegalStateException("every partition of " + topic + " is led by the controller, broker " + controller);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
