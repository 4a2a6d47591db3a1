package dev.fnmesh.host.cluster;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateRecordsTest {

  @Test
  void everyEntryReadsBackAsWritten() {
    for (StateEntry entry : new StateEntry[] {
        new StateEntry.MeshDocument("functions: {}\ntriggers: {}\n", "/etc/mesh.yaml", "/etc"),
        new StateEntry.HostBeat("host-a", "http://a:8080"),
        new StateEntry.HostBeat("host-b", "http://b:8080", Map.of("work", 2, "echo", 1),
            Map.of("resize", "function 'resize': no jar 'resize.jar' in functions")),
        new StateEntry.HostBeat("host-c", "http://c:8080", Map.of("work", 1), Map.of(),
            Map.of("work", new StateEntry.Trouble("stalled", "partition work-0: reply too large")),
            Map.of("work", List.of("topic work has 1 replica, fewer than the 3 asked"))),
        new StateEntry.Assignment("work", 5, Map.of("host-a", 3, "host-b", 2), "lag 900 over 8 partitions"),
        new StateEntry.Wake("orders"),
        new StateEntry.Removed("host/host-a")}) {
      ProducerRecord<byte[], byte[]> record = StateRecords.toRecord("fnmesh.state", entry);
      assertEquals(Optional.of(entry), StateRecords.fromRecord(record.key(), record.value()), entry.toString());
    }
  }

  @Test
  void recordsAreKeyedSoThatCompactionKeepsTheLatestOfEach() {
    assertEquals("replicas/work", key(new StateEntry.Assignment("work", 1, Map.of(), "")));
    assertEquals("host/h1", key(new StateEntry.HostBeat("h1", "http://h1:8080")));
    assertEquals("mesh", key(new StateEntry.MeshDocument("", "f", "/")));
    assertEquals("wake/orders", key(new StateEntry.Wake("orders")));
  }

  @Test
  void aRemovedEntryIsATombstoneOnTheOnlyPartition() {
    ProducerRecord<byte[], byte[]> record = StateRecords.toRecord("fnmesh.state", new StateEntry.Removed("replicas/work"));
    assertNull(record.value());
    assertEquals(0, record.partition());
  }

  @Test
  void valuesArePlainJsonForAnyReader() {
    ProducerRecord<byte[], byte[]> record = StateRecords.toRecord("fnmesh.state",
        new StateEntry.Assignment("work", 3, Map.of("b", 1, "a", 2), "scaled to 3"));
    assertEquals("{\"trigger\":\"work\",\"desired\":3,\"hosts\":{\"a\":2,\"b\":1},\"reason\":\"scaled to 3\"}",
        new String(record.value(), StandardCharsets.UTF_8));
  }

  @Test
  void keysOfOtherVersionsAreSkipped() {
    assertEquals(Optional.empty(), StateRecords.fromRecord(bytes("lease/x"), bytes("{}")));
    assertEquals(Optional.empty(), StateRecords.fromRecord(null, bytes("{}")));
  }

  @Test
  void aBrokenValueIsReportedWithItsKey() {
    var notJson = assertThrows(IllegalArgumentException.class,
        () -> StateRecords.fromRecord(bytes("replicas/work"), bytes("{not json")));
    assertTrue(notJson.getMessage().contains("replicas/work"), notJson.getMessage());
    var missing = assertThrows(IllegalArgumentException.class,
        () -> StateRecords.fromRecord(bytes("replicas/work"), bytes("{\"hosts\":{}}")));
    assertTrue(missing.getMessage().contains("'desired' is missing"), missing.getMessage());
    var noText = assertThrows(IllegalArgumentException.class,
        () -> StateRecords.fromRecord(bytes("mesh"), bytes("{\"source\":\"f\",\"directory\":\"/\"}")));
    assertTrue(noText.getMessage().contains("'text' is missing"), noText.getMessage());
  }

  @Test
  void aHostsShareIsZeroWhenTheAssignmentDoesNotNameIt() {
    StateEntry.Assignment assignment = new StateEntry.Assignment("work", 2, Map.of("a", 2), "");
    assertEquals(2, assignment.share("a"));
    assertEquals(0, assignment.share("b"));
  }

  private static String key(StateEntry entry) {
    return new String(StateRecords.toRecord("t", entry).key(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
