package dev.fnmesh.host.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Map;

class ProcessEnvironmentTest {

  private static final Map<String, String> HOST = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/fn",
      "AWS_SECRET_ACCESS_KEY", "secret", "FNMESH_CLUSTER_KEY", "key", "PGPASSWORD", "password", "USER", "fn");

  @Test
  void holdsTheHostsBasicVariablesItHasTheDeclaredOnesAndFnmeshsOwnAndNothingElse() {
    Map<String, String> environment = ProcessEnvironment.of(HOST, Map.of("MODE", "fast"), "resize", 2, 9100);

    assertEquals(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/fn", "MODE", "fast", "PORT", "9100",
        "FNMESH_FUNCTION", "resize", "FNMESH_REPLICA", "2"), environment);
  }

  @Test
  void aDeclaredVariableReplacesTheHostsOfTheSameName() {
    assertEquals("/opt/app/bin", ProcessEnvironment.of(HOST, Map.of("PATH", "/opt/app/bin"), "resize", 0, 9100)
        .get("PATH"));
  }

  @Test
  void inheritsLangTzAndTmpdirWhenTheHostHasThem() {
    Map<String, String> host = Map.of("LANG", "C.UTF-8", "TZ", "UTC", "TMPDIR", "/var/tmp", "LC_ALL", "C");

    Map<String, String> environment = ProcessEnvironment.of(host, Map.of(), "f", 0, 1);

    assertEquals(Map.of("LANG", "C.UTF-8", "TZ", "UTC", "TMPDIR", "/var/tmp", "PORT", "1", "FNMESH_FUNCTION", "f",
        "FNMESH_REPLICA", "0"), environment);
  }
}
