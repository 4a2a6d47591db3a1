package dev.fnmesh.mesh;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a webhook's signature secret is read from: exactly one of an environment variable or a file. The
 * mesh file names the place, never the secret itself, so the file can be shared.
 *
 * @param env the environment variable holding the secret
 * @param file the file holding the secret
 */
public record SecretRef(Optional<String> env, Optional<String> file) {

  public SecretRef {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(file, "file");
    if (env.isPresent() == file.isPresent()) {
      throw new IllegalArgumentException("a secret is read from exactly one of env or file, got env=" + env
          + " file=" + file);
    }
  }
}
