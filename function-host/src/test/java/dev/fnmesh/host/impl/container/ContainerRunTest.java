package dev.fnmesh.host.impl.container;

import dev.fnmesh.mesh.ImageKind;
import dev.fnmesh.mesh.SecretRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine command line of an image function's replica, and how the engine is found. */
class ContainerRunTest {

  private static ImageKind kind(Map<String, ?> env) {
    return new ImageKind("ghcr.io/acme/resize:1", 8080, "/", Duration.ofSeconds(30), env, Optional.of("256Mi"),
        "1000:1000", 10, 5);
  }

  @Test
  void shouldRunTheContainerLockedDownPublishedOnTheLoopbackOnlyAndLabelled() {
    List<String> command = new ContainerRun(Path.of("/usr/bin/podman"), "fnmesh-resize-0-41000", "0123abcd", 77)
        .command("resize", kind(Map.of()), 0, 41000);

    assertEquals(List.of("/usr/bin/podman", "run", "--rm", "--name=fnmesh-resize-0-41000", "--replace",
        "--label=dev.fnmesh.owner=0123abcd", "--label=dev.fnmesh.pid=77", "--label=dev.fnmesh.function=resize",
        "--read-only", "--tmpfs=" + ContainerRun.TMP, "--cap-drop=ALL", "--security-opt=no-new-privileges",
        "--user=1000:1000", "--memory=256m", "--publish=127.0.0.1:41000:8080", "--env=PORT=8080",
        "--env=FNMESH_FUNCTION=resize", "--env=FNMESH_REPLICA=0", "ghcr.io/acme/resize:1"), command);
  }

  @Test
  void shouldNameTheEnvVariablesOnTheCommandLineNeverTheirValues() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("MODE", "fast");
    env.put("TOKEN", new SecretRef(Optional.of("RESIZE_TOKEN"), Optional.empty()));

    List<String> command = new ContainerRun(Path.of("/usr/local/bin/docker"), "c", "o", 1)
        .command("resize", kind(env), 2, 41002);

    assertTrue(command.containsAll(List.of("--env=MODE", "--env=TOKEN")), command.toString());
    assertFalse(String.join(" ", command).contains("fast"), command.toString());
    // docker has no --replace: a leftover of the same name is removed by the next start's sweep instead.
    assertFalse(command.contains("--replace"), command.toString());
  }

  @Test
  void shouldFindPodmanBeforeDockerOnThePathAndNoneOnAnEmptyPath(@TempDir Path dir) throws IOException {
    Path first = Files.createDirectories(dir.resolve("a"));
    Path second = Files.createDirectories(dir.resolve("b"));
    Path docker = executable(first.resolve("docker"));
    Path podman = executable(second.resolve("podman"));
    String path = first + ":" + second;

    assertEquals(Optional.of(podman), ContainerEngines.find(Optional.empty(), path));
    assertEquals(Optional.of(docker), ContainerEngines.find(Optional.of("docker"), path));
    assertEquals(Optional.empty(), ContainerEngines.find(Optional.of(ContainerEngines.NONE), path));
    assertEquals(Optional.empty(), ContainerEngines.find(Optional.empty(), ""));
    assertEquals(Optional.empty(), ContainerEngines.find(Optional.empty(), null));
  }

  @Test
  void shouldHandTheEngineItsOwnVariablesAndNoneOfTheHostsSecrets() {
    assertEquals(Map.of("CONTAINERS_CONF", "/c.conf", "DOCKER_HOST", "unix:///d.sock"), ContainerEngines.variables(
        Map.of("CONTAINERS_CONF", "/c.conf", "DOCKER_HOST", "unix:///d.sock", "AWS_SECRET_ACCESS_KEY", "s")));
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
