package dev.fnmesh.mesh.load;

import dev.fnmesh.mesh.CommandKind;
import dev.fnmesh.mesh.FunctionKind;
import dev.fnmesh.mesh.FunctionSpec;
import dev.fnmesh.mesh.HttpKind;
import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.JavaKind;
import dev.fnmesh.mesh.SecretRef;
import static dev.fnmesh.mesh.load.MeshFiles.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The kinds of a function (java, http, command, image): each key read and each left-out key at its default. */
class MeshLoaderFunctionTest {

  /** The kind of a function given as a one-line flow mapping. */
  private static FunctionKind kindOf(String function) {
    return parse("functions:\n  f: " + function + "\n").functions().get("f").kind();
  }

  @Test
  void shouldReadTheDocumentedExampleOfEveryKind() {
    Map<String, FunctionSpec> functions = parse("""
        functions:
          greeter: { java: greeter }
          resize:  { java: com.acme.Resize, jar: resize.jar }
          bikes:   { http: "http://127.0.0.1:9100/", concurrency: 50, structured: false }
          hello:
            command: [python3, examples/hello-python/main.py]
            port: auto
            readiness: PT30S
            workingDir: .
            env: { GREETING: Hi }
            concurrency: 100
        """).functions();

    assertEquals(Map.of(
            "greeter", new FunctionSpec("greeter", new JavaKind("greeter", false, Optional.empty()), Map.of()),
            "resize", new FunctionSpec("resize", new JavaKind("com.acme.Resize", false, Optional.of("resize.jar")),
                Map.of()),
            "bikes", new FunctionSpec("bikes", new HttpKind(URI.create("http://127.0.0.1:9100/"), 50, 100, false), Map.of()),
            "hello", new FunctionSpec("hello", new CommandKind(List.of("python3", "examples/hello-python/main.py"),
                OptionalInt.empty(), Duration.ofSeconds(30), ".", Map.of("GREETING", "Hi"), 100, 100), Map.of())),
        functions);
    assertEquals(List.of("java", "java", "http", "command"),
        functions.values().stream().map(function -> function.kind().yamlName()).toList());
  }

  @Test
  void shouldReadEveryKeyOfEachKindWhenGiven() {
    assertEquals(new JavaKind("resize", true, Optional.of("image/resize-1.0_final.jar")),
        kindOf("{ java: resize, blocking: true, jar: image/resize-1.0_final.jar }"));
    assertEquals(new HttpKind(URI.create("https://fn.example.com:8443/bikes?region=eu#x"), 10_000, 0, true),
        kindOf("{ http: 'https://fn.example.com:8443/bikes?region=eu#x', concurrency: 10000, maxWaiting: 0, "
            + "structured: true }"));
    assertEquals(new CommandKind(List.of("node", "server.js", "--verbose"), OptionalInt.of(9200),
            Duration.ofMinutes(2), "/srv/fn", Map.of("A", "1", "_b2", ""), 1, 100_000),
        kindOf("{ command: [node, server.js, --verbose], port: 9200, readiness: PT2M, workingDir: /srv/fn, "
            + "env: { A: '1', _b2: '' }, concurrency: 1, maxWaiting: 100000 }"));
  }

  @Test
  void shouldApplyTheDefaultsOfEveryLeftOutKeyOfEachKind() {
    assertEquals(new JavaKind("f", JavaKind.DEFAULT_BLOCKING, Optional.empty()), kindOf("{ java: f }"));
    assertEquals(new HttpKind(URI.create("http://localhost"), FunctionKind.DEFAULT_CONCURRENCY,
        FunctionKind.DEFAULT_MAX_WAITING, HttpKind.DEFAULT_STRUCTURED), kindOf("{ http: 'http://localhost' }"));
    assertEquals(new CommandKind(List.of("./run"), OptionalInt.empty(), CommandKind.DEFAULT_READINESS,
        CommandKind.DEFAULT_WORKING_DIR, Map.of(), FunctionKind.DEFAULT_CONCURRENCY, FunctionKind.DEFAULT_MAX_WAITING),
        kindOf("{ command: [./run] }"));
    assertEquals(new CommandKind(List.of("./run"), OptionalInt.empty(), Duration.ofSeconds(30), ".", Map.of(), 100, 100),
        kindOf("{ command: [./run] }"));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8080, 65535})
  void shouldReadAPortNumberAndAutoAsNoFixedPort(int port) {
    assertEquals(OptionalInt.of(port), ((CommandKind) kindOf("{ command: [x], port: %d }".formatted(port))).port());
    assertEquals(OptionalInt.empty(), ((CommandKind) kindOf("{ command: [x], port: auto }")).port());
  }

  @Test
  void shouldGiveEveryKindItsConfig() {
    Map<String, FunctionSpec> functions = parse("""
        functions:
          j: { java: j, config: { a: 1 } }
          h: { http: 'http://h/', config: { b: [x] } }
          c: { command: [c], config: { c: { d: true } } }
        """).functions();

    assertEquals(List.of(Map.of("a", 1), Map.of("b", List.of("x")), Map.of("c", Map.of("d", true))),
        functions.values().stream().map(FunctionSpec::config).toList());
  }

  @Test
  void shouldKeepEnvInFileOrderAndMakeCommandAndEnvUnmodifiable() {
    CommandKind command = (CommandKind) kindOf("{ command: [a, b], env: { Z: z, A: a, M: m } }");

    assertEquals(List.of("Z", "A", "M"), List.copyOf(command.env().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> command.env().clear());
    assertThrows(UnsupportedOperationException.class, () -> command.command().clear());
  }

  @Test
  void shouldAcceptAnAnchoredCommandSharedByTwoFunctions() {
    Map<String, FunctionSpec> functions = parse("""
        functions:
          a: { command: &run [python3, main.py], env: { MODE: a } }
          b: { command: *run, env: { MODE: b } }
        """).functions();

    assertEquals(List.of("python3", "main.py"), ((CommandKind) functions.get("a").kind()).command());
    assertEquals(List.of("python3", "main.py"), ((CommandKind) functions.get("b").kind()).command());
  }

  @Test
  void shouldBindAnEnvValueWrittenAsEnvOrFileAsASecretReferenceAndKeepTheRestLiteral() {
    CommandKind command = (CommandKind) kindOf("{ command: [x], env: { TOKEN: { env: SOME_VAR }, "
        + "KEY: { file: /run/secrets/key }, MODE: fast } }");

    assertEquals(Map.of(
            "TOKEN", new SecretRef(Optional.of("SOME_VAR"), Optional.empty()),
            "KEY", new SecretRef(Optional.empty(), Optional.of("/run/secrets/key")),
            "MODE", "fast"),
        command.env());
  }

  @Test
  void shouldBindATopLevelConfigValueThatIsExactlyEnvOrFileAsASecretReferenceAndNothingElse() {
    Map<String, Object> config = parse("""
        functions:
          f:
            java: f
            config:
              token: { env: API_TOKEN }
              key: { file: key.pem }
              output: { file: out.csv, mode: append }
              nested: { auth: { env: NOT_A_REFERENCE } }
              env: plain
        """).functions().get("f").config();

    assertEquals(new SecretRef(Optional.of("API_TOKEN"), Optional.empty()), config.get("token"));
    assertEquals(new SecretRef(Optional.empty(), Optional.of("key.pem")), config.get("key"));
    assertEquals(Map.of("file", "out.csv", "mode", "append"), config.get("output"));
    assertEquals(Map.of("auth", Map.of("env", "NOT_A_REFERENCE")), config.get("nested"));
    assertEquals("plain", config.get("env"));
  }

  @Test
  void shouldReadMaxWaitingOfHttpAndCommandFunctions() {
    assertEquals(7, ((HttpKind) kindOf("{ http: 'http://h/', maxWaiting: 7 }")).maxWaiting());
    assertEquals(0, ((CommandKind) kindOf("{ command: [x], maxWaiting: 0 }")).maxWaiting());
    assertEquals(FunctionKind.DEFAULT_MAX_WAITING, ((CommandKind) kindOf("{ command: [x] }")).maxWaiting());
  }

  @Test
  void shouldReadAnImageFunctionWithEveryKeyAndWithItsDefaults() {
    assertEquals(new ImageKind("ghcr.io/acme/resize:1", 8080, "/events", Duration.ofMinutes(2),
            Map.of("MODE", "fast", "TOKEN", new SecretRef(Optional.of("RESIZE_TOKEN"), Optional.empty())),
            Optional.of("256Mi"), "1000:1000", 20, 5),
        kindOf("{ image: ghcr.io/acme/resize:1, port: 8080, path: /events, readiness: PT2M, env: { MODE: fast,"
            + " TOKEN: { env: RESIZE_TOKEN } }, memory: 256Mi, user: '1000:1000', concurrency: 20, maxWaiting: 5 }"));
    assertEquals(new ImageKind("resize", 8080, ImageKind.DEFAULT_PATH, ImageKind.DEFAULT_READINESS, Map.of(),
            Optional.empty(), ImageKind.DEFAULT_USER, FunctionKind.DEFAULT_CONCURRENCY, FunctionKind.DEFAULT_MAX_WAITING),
        kindOf("{ image: resize, port: 8080 }"));
  }

  @Test
  void shouldGiveTheEngineTheMemoryLimitInItsOwnNotation() {
    assertEquals(Optional.of("256m"), ((ImageKind) kindOf("{ image: i, port: 80, memory: 256Mi }")).engineMemory());
    assertEquals(Optional.of("2g"), ((ImageKind) kindOf("{ image: i, port: 80, memory: 2Gi }")).engineMemory());
    assertEquals(Optional.empty(), ((ImageKind) kindOf("{ image: i, port: 80 }")).engineMemory());
  }
}
