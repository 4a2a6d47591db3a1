package dev.fnmesh.broker.webhook;

import java.nio.file.Path;
import java.util.Objects;

/** Where a webhook's secret is kept: {@code { env: NAME }} or {@code { file: path }} in the mesh file. */
public sealed interface SecretSource {

  /** An environment variable; its value is the secret, UTF-8 encoded. */
  record Env(String name) implements SecretSource {
    public Env {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("secret.env must name an environment variable, got '" + name + "'");
      }
    }
  }

  /** A file; its bytes are the secret, without one trailing newline. */
  record File(Path path) implements SecretSource {
    public File {
      Objects.requireNonNull(path, "path");
    }
  }
}
