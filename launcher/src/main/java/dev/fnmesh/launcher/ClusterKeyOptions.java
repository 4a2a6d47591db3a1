package dev.fnmesh.launcher;

import dev.fnmesh.broker.signing.ClusterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line option that gives a process the cluster key, which signs the records of the state topics;
 * shared by up, host and controller. The file named wins over the environment variable.
 */
final class ClusterKeyOptions {

  /** The environment variable that holds the key when no file is named. */
  static final String ENV = "FNMESH_CLUSTER_KEY";

  private static final Logger LOG = LoggerFactory.getLogger(ClusterKeyOptions.class);

  @Option(names = "--cluster-key-file", paramLabel = "FILE",
      description = "File holding the key that signs the mesh's state records, the same for all its processes"
          + " (default: $" + ENV + "; make one with: head -c 32 /dev/urandom | base64 > cluster.key)."
          + " Without one, host and controller start only with --insecure; up keeps one in its data directory.")
  Path keyFile;

  /**
   * The key given, from the file named or else the environment variable; empty when neither is.
   *
   * @throws IllegalArgumentException when the file is missing or unreadable, or the key empty or too short
   */
  Optional<ClusterKey> given(Map<String, String> env) {
    if (keyFile != null) {
      return Optional.of(ClusterKeyFiles.read(keyFile));
    }
    String value = env.get(ENV);
    return value == null ? Optional.empty() : Optional.of(ClusterKey.of(value.getBytes(StandardCharsets.UTF_8), ENV));
  }

  /**
   * The key a host or a controller runs with: the one given, or none when {@code insecure} (said with a warning).
   *
   * @throws IllegalArgumentException when there is none and not {@code insecure}, saying how to give one; or
   *     as {@link #given}
   */
  Optional<ClusterKey> required(Map<String, String> env, boolean insecure) {
    Optional<ClusterKey> key = given(env);
    if (key.isEmpty() && !insecure) {
      throw new IllegalArgumentException("no cluster key: pass --cluster-key-file FILE or set " + ENV + ", the same key"
          + " for the controller and every host (make one with: head -c 32 /dev/urandom | base64 > cluster.key);"
          + " --insecure runs without one");
    }
    if (key.isEmpty()) {
      LOG.warn("running without a cluster key insecure=true: state records are written unsigned and unsigned ones are"
          + " accepted, so anyone who can write the state topics can change the mesh and run its commands");
    }
    return key;
  }
}
