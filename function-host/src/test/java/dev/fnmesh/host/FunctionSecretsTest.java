package dev.fnmesh.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fnmesh.broker.webhook.SecretResolver;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The secrets of a function's env and config, read where it runs: each reference replaced, or a failure naming the key. */
class FunctionSecretsTest {

  private static final Map<String, String> ENVIRONMENT = Map.of("SOME_VAR", "s3cret-token", "EMPTY", "");
  private final FunctionSecrets secrets = new FunctionSecrets(new SecretResolver(ENVIRONMENT::get));

  @TempDir
  Path dir;

  private static SecretRef env(String name) {
    return new SecretRef(Optional.of(name), Optional.empty());
  }

  private static SecretRef file(Path path) {
    return new SecretRef(Optional.empty(), Optional.of(path.toString()));
  }

  @Test
  void replacesEachReferenceOfEnvWithTheVariableOrFileItNamesAndKeepsLiteralsAndTheOrder() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "file-secret\n");
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("TOKEN", env("SOME_VAR"));
    env.put("MODE", "fast");
    env.put("KEY", file(key));

    Map<String, String> read = secrets.env("f", env);

    assertEquals(Map.of("TOKEN", "s3cret-token", "MODE", "fast", "KEY", "file-secret"), read);
    assertEquals(List.of("TOKEN", "MODE", "KEY"), List.copyOf(read.keySet()));
  }

  @Test
  void replacesTopLevelReferencesOfConfigAndLeavesEveryOtherValueAsItIs() {
    Map<String, Object> config = Map.of("token", env("SOME_VAR"), "sizes", List.of(1, 2), "name", "x");

    assertEquals(Map.of("token", "s3cret-token", "sizes", List.of(1, 2), "name", "x"), secrets.config("f", config));
  }

  @Test
  void aVariableThatIsNotSetFailsTheStartAsCannotRunHereNamingTheKeyAndTheVariable() {
    MeshException missing = assertThrows(MeshException.class,
        () -> secrets.env("resize", Map.of("TOKEN", env("NOT_SET"))));

    assertEquals(MeshException.Kind.CANNOT_RUN_HERE, missing.kind());
    assertEquals("functions.resize.env.TOKEN", missing.problems().get(0).key());
    assertEquals("function 'resize' cannot start here: functions.resize.env.TOKEN: environment variable NOT_SET "
        + "is not set", missing.getMessage());
  }

  @Test
  void anEmptyVariableAndAnUnreadableFileFailNamingTheConfigKey() {
    MeshException empty = assertThrows(MeshException.class, () -> secrets.config("f", Map.of("token", env("EMPTY"))));
    MeshException unreadable = assertThrows(MeshException.class,
        () -> secrets.config("f", Map.of("key", file(dir.resolve("absent")))));

    assertEquals("functions.f.config.token", empty.problems().get(0).key());
    assertTrue(empty.getMessage().endsWith("environment variable EMPTY is empty; a secret must not be"),
        empty.getMessage());
    assertEquals("functions.f.config.key", unreadable.problems().get(0).key());
    assertTrue(unreadable.getMessage().endsWith(dir.resolve("absent") + " cannot be read: no such file"),
        unreadable.getMessage());
  }

  @Test
  void tellsWhetherValuesReferToSecrets() {
    assertTrue(FunctionSecrets.refersToSecrets(Map.of("a", "1", "b", env("X"))));
    assertFalse(FunctionSecrets.refersToSecrets(Map.of("a", "1", "b", Map.of("env", "X"))));
  }
}
