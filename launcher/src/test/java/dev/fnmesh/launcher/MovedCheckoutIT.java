package dev.fnmesh.launcher;

import dev.fnmesh.kafka.fixture.KafkaFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A built checkout runs wherever it is moved: the {@code fnmesh} script and what it runs, copied to a folder
 * of another name, start the mesh there with nothing taken from the folder they were built in.
 */
class MovedCheckoutIT {

  /** Failsafe runs in the module directory: the checkout is its parent. */
  private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
  private static final Path CLASSPATH = Path.of("launcher/target/classpath.txt");
  private static final Pattern HTTP_PORT = Pattern.compile("HTTP: +http://localhost:(\\d+)");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;
  private Process process;

  @AfterEach
  void stopProcess() throws InterruptedException {
    FnmeshProcess.stop(process);
  }

  @Test
  void theClasspathNamesFilesInsideTheCheckoutByPathsRelativeToIt() throws IOException {
    List<String> entries = classpath(CHECKOUT);

    assertFalse(entries.isEmpty());
    for (String entry : entries) {
      assertFalse(Path.of(entry).isAbsolute(), "absolute classpath entry " + entry);
      assertTrue(entry.startsWith("launcher/target/lib/"), "classpath entry outside launcher/target/lib: " + entry);
      assertTrue(Files.isRegularFile(CHECKOUT.resolve(entry)), "classpath entry missing: " + entry);
    }
  }

  @Test
  void aCopiedCheckoutRunsTheMeshWithTheExampleFunctionsAndSchemasFromItsNewFolder() throws Exception {
    Path moved = dir.resolve("fnmesh-moved");
    for (String built : List.of("fnmesh", "launcher/target/fnmesh-launcher-0.1.0-SNAPSHOT.jar",
        CLASSPATH.toString(), "launcher/target/lib", "examples/target/fnmesh-examples-0.1.0-SNAPSHOT.jar",
        "examples/schemas")) {
      copy(CHECKOUT.resolve(built), moved.resolve(built));
    }
    String orders = KafkaFixture.uniqueTopic("moved-orders");
    // greeter comes from the examples jar, order.schema.json from the default schemas directory.
    Files.writeString(moved.resolve("mesh.yaml"), """
        functions:
          greeter: { java: greeter }
        triggers:
          orders:
            kafka: { topic: %s, partitions: 1 }
            dataschema: order.schema.json
            function: greeter
        """.formatted(orders));
    Path log = dir.resolve("fnmesh.log");

    process = new ProcessBuilder(moved.resolve("fnmesh").toString(), "up", "--config", "mesh.yaml",
        "--kafka", KafkaFixture.bootstrapServers(), "--http-port", "0")
        .directory(moved.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int port = await().atMost(WAIT).until(() -> httpPort(log), printed -> printed > 0);

    HttpClient http = HttpClient.newHttpClient();
    await().atMost(WAIT).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    HttpResponse<String> greeting = http.send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/functions/greeter?name=Moved")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("Moved, Hello Serverless World!", greeting.body(), Files.readString(log));
    HttpResponse<String> invalidOrder = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/topics/" + orders))
        .header("ce-specversion", "1.0").header("ce-id", "o-1").header("ce-source", "/moved").header("ce-type", "order")
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"o-1\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, invalidOrder.statusCode(), invalidOrder.body());
    assertTrue(invalidOrder.body().contains("data does not match schema order.schema.json"), invalidOrder.body());
    // The script replaced itself with java; ProcessHandle.Info cuts long command lines, /proc does not.
    String commandLine = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
    for (String entry : classpath(moved)) {
      assertTrue(commandLine.contains(moved.resolve(entry).toString()), "not on the classpath: " + entry + " in " + commandLine);
    }
    assertFalse(commandLine.contains(CHECKOUT + "/"), "the moved mesh names the folder it was built in: " + commandLine);
  }

  /** The port of the banner's HTTP line, 0 until it was printed; fails when fnmesh exited instead. */
  private int httpPort(Path log) throws IOException {
    String output = Files.readString(log);
    assertTrue(process.isAlive(), () -> "fnmesh exited: " + output);
    Matcher matcher = HTTP_PORT.matcher(output);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
  }

  private static List<String> classpath(Path checkout) throws IOException {
    return Arrays.asList(Files.readString(checkout.resolve(CLASSPATH)).strip().split(":"));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        if (!Files.isDirectory(file)) {
          // With its attributes, so that the script stays executable.
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
