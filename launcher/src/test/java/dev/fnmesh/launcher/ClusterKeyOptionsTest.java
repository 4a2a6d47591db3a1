package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.ClusterKey;
import dev.fnmesh.broker.signing.StateSignatures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where a process's cluster key comes from: host and controller refuse to start without one unless told they
 * are insecure, a bad key file is refused with a message, and {@code fnmesh up} keeps a key of its own.
 */
class ClusterKeyOptionsTest {

  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;

  @Test
  void hostAndControllerRefuseToStartWithoutAClusterKeyAndSayHowToGiveOne() {
    assumeTrue(System.getenv(ClusterKeyOptions.ENV) == null, "this test's environment gives a key");
    // Nothing listens on 127.0.0.1:1: a process that went on would fail later, and differently.
    for (String command : new String[] {"host", "controller"}) {
      Result refused = run(command, "--kafka", "127.0.0.1:1");

      assertEquals(2, refused.exitCode(), refused.err());
      assertTrue(refused.err().startsWith("fnmesh " + command + ": no cluster key: pass --cluster-key-file FILE or set"
          + " FNMESH_CLUSTER_KEY"), refused.err());
      assertTrue(refused.err().contains("head -c 32 /dev/urandom | base64 > cluster.key")
          && refused.err().contains("--insecure"), refused.err());
    }
  }

  @Test
  void aKeyFileThatIsMissingEmptyOrTooShortIsRefusedWithAMessage() throws IOException {
    Path missing = dir.resolve("missing.key");
    Path empty = Files.writeString(dir.resolve("empty.key"), "\n");
    Path tooShort = Files.writeString(dir.resolve("short.key"), "0123456789\n");

    for (String command : new String[] {"host", "controller"}) {
      Result noFile = run(command, "--kafka", "127.0.0.1:1", "--cluster-key-file", missing.toString());
      Result noKey = run(command, "--kafka", "127.0.0.1:1", "--cluster-key-file", empty.toString());
      Result shortKey = run(command, "--kafka", "127.0.0.1:1", "--cluster-key-file", tooShort.toString());

      assertEquals(2, noFile.exitCode(), noFile.err());
      assertTrue(noFile.err().contains("the cluster key file " + missing + " does not exist"), noFile.err());
      assertEquals(2, noKey.exitCode(), noKey.err());
      assertTrue(noKey.err().contains("the cluster key in file " + empty + " is empty"), noKey.err());
      assertEquals(2, shortKey.exitCode(), shortKey.err());
      assertTrue(shortKey.err().contains("has 10 bytes, fewer than 16"), shortKey.err());
    }
  }

  @Test
  void theKeyFileNamedWinsOverTheEnvironmentVariable() throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.key"), KEY + "\n");
    ClusterKeyOptions withFile = options("host", "--kafka", "k:9092", "--cluster-key-file", file.toString());
    ClusterKeyOptions withoutFile = options("host", "--kafka", "k:9092");
    Map<String, String> env = Map.of(ClusterKeyOptions.ENV, "another key from the environment");

    ClusterKey fromFile = withFile.given(env).orElseThrow();
    ClusterKey fromEnv = withoutFile.given(env).orElseThrow();

    assertTrue(sameKey(fromFile, ClusterKey.of(KEY.getBytes(StandardCharsets.UTF_8), "the test")));
    assertFalse(sameKey(fromFile, fromEnv));
    assertTrue(sameKey(fromEnv, ClusterKey.of("another key from the environment".getBytes(StandardCharsets.UTF_8), "the test")));
    assertEquals(Optional.empty(), withoutFile.given(Map.of()));
  }

  @Test
  void withInsecureAndNoKeyAHostRunsWithoutOne() {
    ClusterKeyOptions options = options("host", "--kafka", "k:9092", "--insecure");

    assertEquals(Optional.empty(), options.required(Map.of(), true));
  }

  @Test
  void upKeepsAKeyOfItsOwnInItsDataDirectoryReadableByItsUserOnly() throws IOException {
    Path dataDir = dir.resolve("data");

    ClusterKey first = ClusterKeyFiles.keptIn(dataDir);
    ClusterKey again = ClusterKeyFiles.keptIn(dataDir);

    assertTrue(sameKey(first, again), "a restart signs with the key it had");
    Path kept = dataDir.resolve(ClusterKeyFiles.KEPT);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    assertTrue(sameKey(first, ClusterKeyFiles.read(kept)), "the file is a key file like any other");
    assertFalse(sameKey(first, ClusterKeyFiles.keptIn(dir.resolve("other-data"))));
  }

  @Test
  void upAndTheControllerTakeAllowApiCommandsAndTheHostDoesNot() {
    CommandLine.ParseResult up = new CommandLine(new Main()).parseArgs("up", "--allow-api-commands");
    CommandLine.ParseResult controller = new CommandLine(new Main()).parseArgs("controller", "--kafka", "k:9092",
        "--allow-api-commands");

    assertTrue(((UpCommand) up.subcommand().commandSpec().userObject()).allowApiCommands);
    assertTrue(((ControllerCommand) controller.subcommand().commandSpec().userObject()).allowApiCommands);
    assertEquals(2, run("host", "--kafka", "k:9092", "--allow-api-commands").exitCode());
  }

  private static ClusterKeyOptions options(String... args) {
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
    return (ClusterKeyOptions) parsed.subcommand().commandSpec().mixins().get("clusterKey").userObject();
  }

  /** Whether what one key signs, the other verifies. */
  private static boolean sameKey(ClusterKey one, ClusterKey other) {
    ProducerRecord<byte[], byte[]> signed = StateSignatures.with(one)
        .sign(new ProducerRecord<>("fnmesh.state", 0, "mesh".getBytes(StandardCharsets.UTF_8), new byte[0]));
    return StateSignatures.with(other).verify(new ConsumerRecord<>(signed.topic(), 0, 0L, 0L, TimestampType.CREATE_TIME,
        4, 0, signed.key(), signed.value(), signed.headers(), Optional.empty()));
  }

  private record Result(int exitCode, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine commandLine = new CommandLine(new Main());
      commandLine.setErr(new PrintWriter(System.err, true));
      return new Result(commandLine.execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}
