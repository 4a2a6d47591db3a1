package dev.fnmesh.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import dev.fnmesh.host.FunctionContainers;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentDefaultsTest {

  private static final Map<String, String> ENV = Map.of("FNMESH_KAFKA", "kafka-1:9093", "FNMESH_HTTP_HOST", "0.0.0.0",
      "FNMESH_ACCESS", "/etc/fnmesh/access.yaml", "FNMESH_HTTP_PORT", "9000", "FNMESH_INSECURE", "true");

  @Test
  void anOptionsVariableIsFnmeshAndItsNameInCapitals() {
    assertEquals("FNMESH_KAFKA_CONFIG", EnvironmentDefaults.variableOf("--kafka-config"));
    assertEquals("FNMESH_HTTP_HOST", EnvironmentDefaults.variableOf("--http-host"));
  }

  @Test
  void optionsComeFromTheEnvironmentAndARequiredOneIsSatisfiedByIt() {
    CommandLine.ParseResult parsed = Main.commandLine(ENV::get).parseArgs("host");
    HostCommand host = (HostCommand) parsed.subcommand().commandSpec().userObject();

    assertEquals("kafka-1:9093", host.kafka.kafka);
    assertEquals(9000, host.httpPort);
    assertEquals("0.0.0.0", host.listen.httpHost);
    assertEquals(Path.of("/etc/fnmesh/access.yaml"), host.listen.access);
    assertTrue(host.listen.insecure);
  }

  @Test
  void theCommandLineWinsOverTheEnvironment() {
    CommandLine.ParseResult parsed = Main.commandLine(ENV::get).parseArgs("host", "--kafka", "other:9092", "--http-port", "8081");
    HostCommand host = (HostCommand) parsed.subcommand().commandSpec().userObject();

    assertEquals("other:9092", host.kafka.kafka);
    assertEquals(8081, host.httpPort);
  }

  @Test
  void imageFunctionsRunningElsewhereAndTheEngineComeFromTheEnvironmentAsInAPodOrAComposeService() {
    Map<String, String> env = Map.of("FNMESH_FUNCTION_URL", "shout=http://fnmesh-fn-shout:8000,resize=http://resize:9000",
        "FNMESH_CONTAINER_ENGINE", "none");
    CommandLine.ParseResult parsed = Main.commandLine(env::get).parseArgs("host");
    HostCommand host = (HostCommand) parsed.subcommand().commandSpec().userObject();

    FunctionContainers containers = host.containers.settings(Path.of("data"));
    assertEquals(Map.of("shout", URI.create("http://fnmesh-fn-shout:8000"),
        "resize", URI.create("http://resize:9000")), containers.runningAt());
    assertTrue(containers.engine().isEmpty());
  }
}
