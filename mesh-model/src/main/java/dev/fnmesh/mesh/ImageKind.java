package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A function whose HTTP server runs in a container of its own: {@code image:}. It takes events as an
 * {@link HttpKind} function does; where it runs decides the host: a container the host starts with podman or
 * docker, or one already running beside the host (a sidecar, a compose service) that the host is told of.
 *
 * @param image the container image, as the engine names it ({@code ghcr.io/acme/resize:1})
 * @param port the port the server listens on inside its container, handed to it as {@code PORT}
 * @param path the path events are POSTed to, starting with {@code /}
 * @param readiness how long the container may take from its start to answering HTTP, positive
 * @param env environment variables of the container, in file order; none of {@link CommandKind#RESERVED_ENV};
 *     each value a {@code String}, or a {@link SecretRef} read on the host when the container starts and
 *     handed to the engine in its environment, never on its command line
 * @param memory the container's memory limit in Kubernetes' notation ({@code 256Mi}), empty for none
 * @param user the user (and group) the container runs as, numeric and never root
 * @param concurrency the most events one replica sends the function at once
 * @param maxWaiting how many calls may wait for a free slot before a synchronous call ({@code /functions/{name}})
 *     is refused; a trigger's deliveries always wait, bounded by their consumer
 */
public record ImageKind(String image, int port, String path, Duration readiness, Map<String, ?> env,
    Optional<String> memory, String user, int concurrency, int maxWaiting) implements FunctionKind {

  /** The path events are POSTed to when the mesh file does not say, as in the schema. */
  public static final String DEFAULT_PATH = "/";

  /** How long a container may take to answer when the mesh file does not say, as in the schema. */
  public static final Duration DEFAULT_READINESS = Duration.ofSeconds(60);

  /** The user a container runs as when the mesh file does not say, as in the schema: nobody. */
  public static final String DEFAULT_USER = "65534:65534";

  /** The schema's pattern of {@code memory:}, word for word. */
  public static final String MEMORY_PATTERN = "^[1-9][0-9]*(Ki|Mi|Gi)$";

  /** The schema's pattern of {@code user:}, word for word: a numeric user other than 0, and a group. */
  public static final String USER_PATTERN = "^[1-9][0-9]*(:[0-9]+)?$";

  private static final Pattern MEMORY = Pattern.compile(MEMORY_PATTERN);
  private static final Pattern USER = Pattern.compile(USER_PATTERN);
  private static final Pattern ENV_NAME = Pattern.compile(CommandKind.ENV_NAME_PATTERN);

  /** @throws IllegalArgumentException naming the field when a value is one the mesh file could not give */
  public ImageKind {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(user, "user");
    if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace) || image.startsWith("-")) {
      throw new IllegalArgumentException("image must be an image name without spaces, such as"
          + " ghcr.io/acme/resize:1, got \"" + image + "\"");
    }
    if (port < 1 || port > CommandKind.MAX_PORT) {
      throw new IllegalArgumentException("port must be between 1 and " + CommandKind.MAX_PORT + ", got " + port);
    }
    if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("path must start with / and have no spaces, got \"" + path + "\"");
    }
    if (readiness.isZero() || readiness.isNegative()) {
      throw new IllegalArgumentException("readiness must be positive, got " + readiness);
    }
    if (memory.isPresent() && !MEMORY.matcher(memory.get()).matches()) {
      throw new IllegalArgumentException("memory must match " + MEMORY_PATTERN + ", such as 256Mi, got " + memory.get());
    }
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("user must be a numeric user other than root (0), with an optional"
          + " group, such as 65534:65534, got \"" + user + "\"");
    }
    // A LinkedHashMap copy, not Map.copyOf: the order of the file is kept for whoever prints the variables.
    Map<String, Object> copy = new LinkedHashMap<>(Objects.requireNonNull(env, "env"));
    copy.forEach((name, value) -> {
      if (!ENV_NAME.matcher(name).matches() || CommandKind.RESERVED_ENV.contains(name)) {
        throw new IllegalArgumentException("env name must match " + CommandKind.ENV_NAME_PATTERN
            + " and not be one of " + CommandKind.RESERVED_ENV + ", got \"" + name + "\"");
      }
      if (!(value instanceof String || value instanceof SecretRef)) {
        throw new IllegalArgumentException("env " + name + " must be a string or a SecretRef, got "
            + (value == null ? "null" : value.getClass().getSimpleName()));
      }
    });
    env = Collections.unmodifiableMap(copy);
    FunctionKind.checkConcurrency(concurrency);
    FunctionKind.checkMaxWaiting(maxWaiting);
  }

  @Override
  public String yamlName() {
    return "image";
  }

  /** The memory limit in the notation podman and docker take: {@code 256Mi} becomes {@code 256m}. */
  public Optional<String> engineMemory() {
    return memory.map(limit -> limit.substring(0, limit.length() - 2) + Character.toLowerCase(limit.charAt(limit.length() - 2)));
  }
}
