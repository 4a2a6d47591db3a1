package dev.fnmesh.access;

import java.util.Objects;

/**
 * Where a client's bearer token comes from: the access file names a place or the token's SHA-256, so the file
 * itself holds no secret and can be shared.
 *
 * @param source where the value below comes from
 * @param value the environment variable's name, the file's path or the hex SHA-256 of the token
 */
public record ClientToken(Source source, String value) {

  public ClientToken {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(value, "value");
  }

  /** The key of the access file that names the token. */
  public enum Source {
    /** An environment variable holds the token. */
    ENV,
    /** A file holds the token; a trailing newline is not part of it. */
    FILE,
    /** Only the token's SHA-256 is known, in hex. */
    SHA256
  }
}
