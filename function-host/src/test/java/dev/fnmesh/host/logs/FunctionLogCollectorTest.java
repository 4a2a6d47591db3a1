package dev.fnmesh.host.logs;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the controller takes from the log topic: an entry a host wrote, naming the host, and nothing else. */
class FunctionLogCollectorTest {

  @Test
  void anEntryAHostWroteIsReadBackNamingItsHost() {
    FunctionLogEntry written = FunctionLogEntry.failure("fail", Optional.of("flaky"), "e-1", "boom").from("host-a");

    FunctionLogEntry read = FunctionLogCollector.decode(record(written.toJson().encode()));

    assertEquals(written, read);
    assertEquals("host-a", read.toJson().getString("host"));
  }

  @Test
  void anEntryThatNamesNoHostIsRefused() {
    String entry = FunctionLogEntry.line("talker", 0, FunctionLogEntry.Stream.STDOUT, "hello").toJson().encode();

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> FunctionLogCollector.decode(record(entry)));
    assertTrue(refused.getMessage().contains("no host"), refused.getMessage());
  }

  @Test
  void aValueThatIsNoEntryIsRefusedSayingWhatIsMissing() {
    assertThrows(IllegalArgumentException.class, () -> FunctionLogCollector.decode(record("not json")));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> FunctionLogCollector
        .decode(record(new JsonObject().put("host", "host-a").put("function", "fail").encode())));
    assertTrue(refused.getMessage().contains("time, function, stream and message are needed"), refused.getMessage());
  }

  private static ConsumerRecord<byte[], byte[]> record(String value) {
    return new ConsumerRecord<>("fnmesh.logs", 0, 0, "fail".getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8));
  }
}
