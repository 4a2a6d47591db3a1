package dev.fnmesh.host.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fnmesh.mesh.CommandKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class ProcessEnvironmentTest {

  private static final Map<String, String> HOST = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/fn",
      "AWS_SECRET_ACCESS_KEY", "secret", "FNMESH_CLUSTER_KEY", "key", "PGPASSWORD", "password", "USER", "fn");

  @Test
  void holdsTheHostsBasicVariablesItHasTheDeclaredOnesAndFnmeshsOwnAndNothingElse() {
    CommandKind command = TestCommands.command(List.of("app"), CommandKind.DEFAULT_READINESS, Map.of("MODE", "fast"));

    Map<String, String> environment = ProcessEnvironment.of(HOST, command, "resize", 2, 9100);

    assertEquals(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/fn", "MODE", "fast", "PORT", "9100",
        "FNMESH_FUNCTION", "resize", "FNMESH_REPLICA", "2"), environment);
  }

  @Test
  void aDeclaredVariableReplacesTheHostsOfTheSameName() {
    CommandKind command = TestCommands.command(List.of("app"), CommandKind.DEFAULT_READINESS,
        Map.of("PATH", "/opt/app/bin"));

    assertEquals("/opt/app/bin", ProcessEnvironment.of(HOST, command, "resize", 0, 9100).get("PATH"));
  }

  @Test
  void inheritsLangTzAndTmpdirWhenTheHostHasThem() {
    Map<String, String> host = Map.of("LANG", "C.UTF-8", "TZ", "UTC", "TMPDIR", "/var/tmp", "LC_ALL", "C");

    Map<String, String> environment = ProcessEnvironment.of(host, TestCommands.command(List.of("app")), "f", 0, 1);

    assertEquals(Map.of("LANG", "C.UTF-8", "TZ", "UTC", "TMPDIR", "/var/tmp", "PORT", "1", "FNMESH_FUNCTION", "f",
        "FNMESH_REPLICA", "0"), environment);
  }
}
