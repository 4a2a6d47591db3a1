package dev.fnmesh.launcher;

import dev.fnmesh.broker.TopicPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How the Kafka options of up, host and controller become the settings of every client and topic. */
class KafkaOptionsTest {

  @Test
  void topicsAreCreatedClusterSizedUnlessAReplicationFactorIsGiven() {
    assertEquals(TopicPolicy.CLUSTER_SIZED, options(Map.of(), "host", "--kafka", "k:9092").required().topics());
    assertEquals(new TopicPolicy(OptionalInt.of(2)),
        options(Map.of(), "host", "--kafka", "k:9092", "--replication-factor", "2").required().topics());
  }

  @Test
  void theReplicationFactorMayComeFromTheEnvironment() {
    assertEquals(new TopicPolicy(OptionalInt.of(5)), options(Map.of("FNMESH_REPLICATION_FACTOR", "5"),
        "controller", "--kafka", "k:9092").required().topics());
  }

  @Test
  void aReplicationFactorBelowOneOrWithoutAClusterIsRefusedNamingTheFlag() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> options(Map.of(), "host", "--kafka", "k:9092", "--replication-factor", "0").required());
    assertEquals("--replication-factor: the replication factor must be between 1 and 32767, got 0", zero.getMessage());

    IllegalArgumentException embedded = assertThrows(IllegalArgumentException.class,
        () -> options(Map.of(), "up", "--replication-factor", "3").settings());
    assertEquals("--replication-factor applies to a Kafka cluster named with --kafka; the embedded broker is a single"
        + " node, whose topics have one replica", embedded.getMessage());
  }

  private static KafkaOptions options(Map<String, String> env, String... args) {
    CommandLine.ParseResult parsed = Main.commandLine(env::get).parseArgs(args);
    Object command = parsed.subcommand().commandSpec().userObject();
    if (command instanceof HostCommand host) {
      return host.kafka;
    }
    return command instanceof ControllerCommand controller ? controller.kafka : ((UpCommand) command).kafka;
  }
}
