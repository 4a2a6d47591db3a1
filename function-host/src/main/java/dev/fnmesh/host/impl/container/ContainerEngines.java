package dev.fnmesh.host.impl.container;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the program that starts containers: the one named with {@code --container-engine}, or else podman, then
 * docker, on the {@code PATH}; and hands it the host's variables that configure it.
 */
public final class ContainerEngines {

  /** The engines looked for on the PATH when none is named, in order. */
  public static final List<String> SEARCHED = List.of("podman", "docker");

  /** The value of {@code --container-engine} that starts no container. */
  public static final String NONE = "none";

  /** The host's variables an engine reads its configuration and daemon from; nothing else of the host's. */
  static final List<String> ENGINE_VARIABLES = List.of("CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF",
      "CONTAINERS_REGISTRIES_CONF", "REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
      "DOCKER_HOST", "DOCKER_CONFIG", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "CONTAINER_HOST");

  private ContainerEngines() {}

  /**
   * @param chosen a program name or path given by the user, {@value #NONE} for none; empty to search
   * @param path the {@code PATH} to search, as the host's environment has it (may be null)
   * @return the engine's program, empty when none is found or none is wanted
   */
  public static Optional<Path> find(Optional<String> chosen, String path) {
    if (chosen.isPresent()) {
      String name = chosen.get();
      if (name.equals(NONE)) {
        return Optional.empty();
      }
      return name.contains(File.separator) ? Optional.of(Path.of(name)).filter(Files::isExecutable)
          : onPath(name, path);
    }
    return SEARCHED.stream().map(name -> onPath(name, path)).flatMap(Optional::stream).findFirst();
  }

  /** What {@link #find} looked for, as a message says it: "looked for podman and docker on PATH". */
  public static String looked(Optional<String> chosen) {
    return chosen.map(name -> name.equals(NONE) ? "none wanted: --container-engine none"
        : "looked for " + name + ", named by --container-engine").orElse("looked for " + String.join(" and ", SEARCHED)
        + " on PATH");
  }

  /** The host's variables that configure the engine, those it has. */
  public static Map<String, String> variables(Map<String, String> host) {
    return host.entrySet().stream().filter(entry -> ENGINE_VARIABLES.contains(entry.getKey()))
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** Whether the program is podman (or a podman-remote), whose options differ a little from docker's. */
  static boolean isPodman(Path engine) {
    return engine.getFileName().toString().startsWith("podman");
  }

  private static Optional<Path> onPath(String name, String path) {
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }
}
