package dev.fnmesh.launcher;

import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.MeshConfig;
import dev.fnmesh.mesh.load.MeshLoader;
import dev.fnmesh.host.FunctionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting a mesh: an invalid mesh file stops the start before anything runs, with a message to fix it by. */
class MeshStartTest {

  private static final String BAD_MESH = """
      functions:
        greeter: { java: greeter }
      triggers:
        greet:
          kafka: { topic: greetings, partitions: eight }
          function: greeter
      """;

  @TempDir
  Path dir;

  @Test
  void anInvalidMeshFileStopsTheStartNamingFileLineAndKeyAndStartsNoBroker() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, BAD_MESH);
    int kafkaPort = freePort();
    MeshOptions options = new MeshOptions(file, HttpPortSettings.loopback(0), kafkaPort, java.util.Optional.empty(), dir.resolve("data"),
        dir, dir, dev.fnmesh.broker.IngressSettings.defaults(), java.time.Duration.ZERO, java.util.Optional.empty(), false);

    MeshException error = assertThrows(MeshException.class, () -> Mesh.start(options));

    assertTrue(error.getMessage().contains(file + ":5:"), error.getMessage());
    assertTrue(error.getMessage().contains("triggers.greet.kafka.partitions"), error.getMessage());
    assertTrue(Files.notExists(dir.resolve("data")), "no broker data directory was created");
    try (ServerSocket stillFree = new ServerSocket(kafkaPort)) {
      assertEquals(kafkaPort, stillFree.getLocalPort());
    }
  }

  @Test
  void theCommandLineReportsAnInvalidMeshFileAndExitsWithTwo() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, BAD_MESH);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exitCode;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exitCode = new CommandLine(new Main()).execute("up", "--config", file.toString(), "--data-dir",
          dir.resolve("data").toString());
    } finally {
      System.setErr(original);
    }

    assertEquals(2, exitCode);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("bad.yaml:5:") && printed.contains("partitions"), printed);
  }

  @Test
  void theControllerReportsAnInvalidMeshFileAndExitsWithTwoBeforeConnectingToKafka() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, BAD_MESH);
    // Nothing listens on this port: a controller that tried Kafka first would not fail this way.
    String[] command = {"controller", "--kafka", "127.0.0.1:" + freePort(), "--config", file.toString(), "--insecure"};
    Result result = run(command);
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("fnmesh controller: invalid mesh file") && result.err().contains("bad.yaml:5:"),
        result.err());
  }

  @Test
  void theCommandsRefuseMissingAndMalformedOptionsWithAUsageMessage() {
    Result noKafka = run("host", "--http-port", "0");
    assertEquals(2, noKafka.exitCode());
    assertTrue(noKafka.err().contains("name the mesh's Kafka cluster with --kafka BOOTSTRAP_SERVERS"), noKafka.err());

    Result badTimeout = run("controller", "--kafka", "127.0.0.1:1", "--host-timeout", "five seconds");
    assertEquals(2, badTimeout.exitCode());
    assertTrue(badTimeout.err().contains("--host-timeout"), badTimeout.err());

    Result tooShort = run("controller", "--kafka", "127.0.0.1:1", "--host-timeout", "PT1S");
    assertEquals(2, tooShort.exitCode());
    assertTrue(tooShort.err().contains("hostTimeout must be at least two beat intervals"), tooShort.err());
  }

  @Test
  void eachCommandRefusesToListenBeyondThisMachineWithoutBeingToldItIsInsecure() {
    for (String[] command : new String[][] {
        {"up", "--http-host", "0.0.0.0", "--kafka", "127.0.0.1:1"},
        {"host", "--http-host", "0.0.0.0", "--kafka", "127.0.0.1:1"},
        {"controller", "--http-host", "::", "--kafka", "127.0.0.1:1"}}) {
      // Refused before anything starts: Kafka at 127.0.0.1:1 would otherwise fail later, and differently.
      Result refused = run(command);

      assertEquals(2, refused.exitCode(), String.join(" ", command));
      assertTrue(refused.err().contains("lets the network reach this process's HTTP port")
          && refused.err().contains("--insecure"), refused.err());
    }
  }

  @Test
  void anAccessFileLetsACommandListenBeyondThisMachine(@TempDir Path dir) throws IOException {
    Path access = dir.resolve("access.yaml");
    Files.writeString(access, "clients:\n  ops:\n    token: { sha256: " + "ab".repeat(32) + " }\n    admin: true\n");
    for (String command : new String[] {"up", "host", "controller"}) {
      CommandLine.ParseResult parsed = new CommandLine(new Main())
          .parseArgs(command, "--kafka", "k:9092", "--http-host", "0.0.0.0", "--access", access.toString());
      ListenOptions listen = (ListenOptions) parsed.subcommand().commandSpec().mixins().get("listen").userObject();

      assertEquals(java.util.Optional.empty(), listen.refusal(8080), command);
      assertEquals(java.util.Optional.of(access), listen.settings(8080).accessFile());
    }
  }

  @Test
  void anInvalidAccessFileOrHalfATlsPairIsRefusedBeforeAnythingStarts(@TempDir Path dir) throws IOException {
    Path access = dir.resolve("access.yaml");
    Files.writeString(access, "clients:\n  shop:\n    token: { env: FNMESH_TEST_UNSET_VARIABLE }\n    publsh: [orders]\n");

    Result invalid = run("up", "--kafka", "127.0.0.1:1", "--access", access.toString());
    Result halfTls = run("host", "--kafka", "127.0.0.1:1", "--tls-cert", "server.pem");

    assertEquals(2, invalid.exitCode());
    assertTrue(invalid.err().contains("--access " + access) && invalid.err().contains("clients.shop.publsh"), invalid.err());
    assertEquals(2, halfTls.exitCode());
    assertTrue(halfTls.err().contains("--tls-cert and --tls-key go together"), halfTls.err());
  }

  @Test
  void eachCommandListensOnLoopbackWhenNoAddressIsGiven() {
    for (String[] command : new String[][] {{"up"}, {"host", "--kafka", "k:9092"}, {"controller", "--kafka", "k:9092"}}) {
      CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(command);
      Object subcommand = parsed.subcommand().commandSpec().userObject();
      ListenOptions listen = (ListenOptions) parsed.subcommand().commandSpec().mixins().get("listen").userObject();

      assertEquals(new HttpAddress("127.0.0.1", 8080), listen.address(8080), subcommand.getClass().getSimpleName());
      assertTrue(listen.refusal(8080).isEmpty());
    }
  }

  @Test
  void aPortOutsideTheRangeIsRefusedWithAMessage() {
    Result refused = run("up", "--http-port", "70000", "--kafka", "127.0.0.1:1");

    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("the HTTP port must be between 0 and 65535, got 70000"), refused.err());
  }

  private record Result(int exitCode, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine commandLine = new CommandLine(new Main());
      commandLine.setErr(new PrintWriter(System.err, true));
      int exitCode = commandLine.execute(args);
      return new Result(exitCode, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void theExampleMeshIsValidAndEveryFunctionItNamesExists() {
    MeshConfig mesh = new MeshLoader().load(Path.of("../examples/mesh.yaml"));
    FunctionRegistry registry = new FunctionRegistry(getClass().getClassLoader());

    assertTrue(mesh.triggers().containsKey("greet") && mesh.triggers().containsKey("echo"), mesh.triggers().toString());
    assertEquals("greetings.replies", mesh.triggers().get("greet").replyTopics().get(0));
    // Only a java function without jar is looked up on the classpath; the other kinds are not in the registry.
    mesh.functions().values().forEach(function -> {
      if (function.kind() instanceof JavaKind java && java.jar().isEmpty()) {
        assertTrue(registry.find(java.className()).function().isPresent(), "function " + function.name());
      }
    });
  }

  @Test
  void theExampleMeshDeclaresEveryTopicTheReadmePublishesToExceptThoseItShowsRefused() throws IOException {
    MeshConfig mesh = new MeshLoader().load(Path.of("../examples/mesh.yaml"));
    String readme = Files.readString(Path.of("../README.md"));
    Set<String> refused = matches(readme, "no topic '([^']+)' is declared");
    Set<String> published = matches(readme, "localhost:8080/topics/([a-zA-Z0-9._-]+)");
    published.removeAll(refused);

    assertFalse(published.isEmpty(), "the README publishes to no topic");
    assertTrue(mesh.publishableTopics().keySet().containsAll(published),
        "published " + published + ", declared " + mesh.publishableTopics().keySet());
    refused.forEach(topic -> assertFalse(mesh.publishableTopics().containsKey(topic), topic));
  }

  private static Set<String> matches(String text, String regex) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
