package dev.fnmesh.host.cluster;

import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.fnmesh.host.cluster.StateTopic.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state topic as every process reads it: in order, from its start, the latest value of each key. */
@ExtendWith(KafkaFixture.class)
class StateLogIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final StateTopic STATE = new StateTopic("state-log", Duration.ofMillis(500));

  private int readers;

  @Test
  void entriesWrittenAreReadBackByAnotherReaderInTheOrderTheyWereWritten() throws Exception {
    StateLog writer = started(new StateUpdates());
    StateUpdates read = new StateUpdates();
    started(read);
    List<StateEntry> written = List.of(
        new StateEntry.HostBeat("a", "http://a:1", Map.of("work", 2), Map.of()),
        new StateEntry.Assignment("work", 3, Map.of("a", 2, "b", 1), "scaled to 3"),
        new StateEntry.MeshDocument("functions: {}\n", "mesh.yaml", "/meshes"),
        new StateEntry.Wake("orders"),
        new StateEntry.Removed(StateEntry.HOST_PREFIX + "a"));

    writeInOrder(writer, written);

    await().atMost(WAIT).until(() -> read.entries().size() >= written.size());
    assertEquals(written, read.entries());
    assertTrue(read.updates().stream().allMatch(StateLog.Update::live), "written after the reader started: " + read.updates());
  }

  @Test
  void aReaderStartedLateHasReadWhatWasThereWhenItsStartCompletes() throws Exception {
    StateLog writer = started(new StateUpdates());
    List<StateEntry> before = List.of(
        new StateEntry.MeshDocument("triggers: {}\n", "mesh.yaml", "/meshes"),
        new StateEntry.Assignment("work", 1, Map.of("a", 1), "scaled to 1"),
        new StateEntry.HostBeat("a", "http://a:1"));
    writeInOrder(writer, before);

    StateUpdates late = new StateUpdates();
    started(late);

    // Handed over before start completed: a process never acts on part of the state.
    assertEquals(before, late.entries());
    assertTrue(late.updates().stream().noneMatch(StateLog.Update::live), "found at start, not live: " + late.updates());
    StateEntry after = new StateEntry.Wake("orders");
    join(writer.write(after));
    await().atMost(WAIT).until(() -> late.updates().size() == before.size() + 1);
    StateLog.Update last = late.updates().get(before.size());
    assertEquals(after, last.entry());
    assertTrue(last.live(), "written after the start is live");
  }

  @Test
  void aRecordNotSignedWithTheClusterKeyIsNotHandedOverAndIsCounted() throws Exception {
    StateUpdates read = new StateUpdates();
    StateLog log = started(read);
    StateSignatures anotherKey = StateSignatures.with(ClusterKey.of(ClusterKey.generateText(), "another mesh"));
    StateEntry.MeshDocument forged = new StateEntry.MeshDocument("functions: {}\n", "forged", "/tmp");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFixture.producerConfig())) {
      producer.send(StateRecords.toRecord(log.topic(), forged)).get();
      producer.send(anotherKey.sign(StateRecords.toRecord(log.topic(), forged))).get();
    }
    StateEntry genuine = new StateEntry.Wake("orders");

    join(log.write(genuine));

    // One partition read in order: once the genuine entry is read, so were the two before it.
    await().atMost(WAIT).until(() -> !read.entries().isEmpty());
    assertEquals(List.of(genuine), read.entries());
    assertEquals(2, STATE.signatures().rejected());
  }

  @Test
  void afterCompactionAReaderFindsOnlyTheLastValueOfAKey() throws Exception {
    StateLog writer = started(new StateUpdates());
    compactSoon(writer.topic());
    writeInOrder(writer, List.of(
        new StateEntry.Assignment("work", 1, Map.of("a", 1), "scaled to 1"),
        new StateEntry.Assignment("work", 2, Map.of("a", 2), "scaled to 2"),
        new StateEntry.Assignment("work", 3, Map.of("a", 3), "scaled to 3")));
    StateEntry.Assignment other = new StateEntry.Assignment("other", 1, Map.of("a", 1), "scaled to 1");

    // The broker's cleaner runs every 15 s by default: each attempt is a new reader started late. Only
    // closed segments are compacted: the record each attempt appends rolls the segment whose time is up.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).until(() -> {
      join(writer.write(other));
      StateUpdates late = new StateUpdates();
      StateLog reader = started(late);
      reader.close();
      return late.entries("replicas/work").size() == 1;
    });
    StateUpdates late = new StateUpdates();
    started(late);
    List<StateEntry> work = late.entries("replicas/work");
    assertEquals(List.of(new StateEntry.Assignment("work", 3, Map.of("a", 3), "scaled to 3")), work);
  }

  private StateLog started(StateUpdates recorder) throws Exception {
    return STATE.startedLog("state-log-it-" + readers++, recorder);
  }

  private static void writeInOrder(StateLog writer, List<StateEntry> entries) throws Exception {
    for (StateEntry entry : entries) {
      join(writer.write(entry));
    }
  }

  // A new topic's segments are closed after 10 minutes; this one's after 100 ms, and any dirt is cleaned.
  private static void compactSoon(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin.incrementalAlterConfigs(Map.of(resource, List.of(
          new AlterConfigOp(new ConfigEntry(TopicConfig.SEGMENT_MS_CONFIG, "100"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01"), AlterConfigOp.OpType.SET))))
          .all().get(30, TimeUnit.SECONDS);
    }
  }
}
