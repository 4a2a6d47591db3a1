package dev.fnmesh.mesh;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a secret is read from: exactly one of an environment variable or a file, read by the process that
 * uses it. The mesh file names the place, never the secret itself, so the file can be shared, shown and
 * sent between processes. A webhook's {@code secret:} is one; so is a value of a function's {@code env:}
 * or {@code config:} written as {@code { env: NAME }} or {@code { file: PATH }}.
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

  /**
   * The reference a value of {@code env:} or {@code config:} stands for, the one rule of what is a
   * reference: a mapping whose only key is {@code env} or {@code file}, with a string value. Any other value,
   * e.g. {@code { file: a.csv, mode: append }}, is a value of its own.
   *
   * @param value a value as the mesh file gives it: strings, numbers, booleans, lists and maps
   * @return the reference, or empty when the value is no reference
   */
  public static Optional<SecretRef> in(Object value) {
    if (value instanceof Map<?, ?> map && map.size() == 1) {
      Object env = map.get("env");
      Object file = map.get("file");
      if (env instanceof String name) {
        return Optional.of(new SecretRef(Optional.of(name), Optional.empty()));
      }
      if (file instanceof String path) {
        return Optional.of(new SecretRef(Optional.empty(), Optional.of(path)));
      }
    }
    return Optional.empty();
  }

  /** How the mesh file writes this reference, e.g. {@code { env: TOKEN }}; it names no secret. */
  @Override
  public String toString() {
    return env.map(name -> "{ env: " + name + " }").orElseGet(() -> "{ file: " + file.orElseThrow() + " }");
  }
}
