package dev.fnmesh.launcher;

import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.host.impl.container.ContainerEngines;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line options that say where image functions run, shared by up and host: the container engine
 * that starts them, and the functions that already run elsewhere (a sidecar, a compose service).
 */
final class ContainerOptions {

  @Option(names = "--container-engine", paramLabel = "PROGRAM",
      description = "The program that starts the containers of image functions: podman, docker, a path, or none"
          + " (default: podman, else docker, found on PATH).")
  String engine;

  @Option(names = "--function-url", paramLabel = "NAME=URL", split = ",",
      description = "An image function that already runs, and its base URL: resize=http://127.0.0.1:8000 for a"
          + " sidecar, resize=http://resize:8000 for a compose service. The host then starts no container for it."
          + " Repeat it, or separate them with commas.")
  Map<String, String> urls = new LinkedHashMap<>();

  /**
   * @param dataDir the host's data directory, whose digest labels its containers
   * @throws IllegalArgumentException when a URL is no absolute http or https URL
   */
  FunctionContainers settings(Path dataDir) {
    Map<String, URI> runningAt = new LinkedHashMap<>();
    urls.forEach((name, url) -> {
      try {
        runningAt.put(name, URI.create(url));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--function-url " + name + ": " + url + " is no URL: " + e.getMessage(), e);
      }
    });
    return found(Optional.ofNullable(engine), runningAt, dataDir);
  }

  /** The engine of this machine's PATH (or the one named), and the functions running elsewhere. */
  static FunctionContainers found(Optional<String> engine, Map<String, URI> runningAt, Path dataDir) {
    return new FunctionContainers(ContainerEngines.find(engine, System.getenv("PATH")), ContainerEngines.looked(engine),
        runningAt, owner(dataDir), false);
  }

  /** A short digest of the data directory: hosts on one machine with different data directories keep apart. */
  static String owner(Path dataDir) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
