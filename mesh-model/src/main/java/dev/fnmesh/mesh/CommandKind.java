package dev.fnmesh.mesh;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A function the mesh starts as a process and reaches over HTTP on the port it hands it: {@code command:}.
 *
 * @param command the program and its arguments, none of them empty
 * @param port the port the process listens on, handed to it as {@code PORT}; empty for {@code auto}, a free
 *     port picked at start
 * @param readiness how long the process may take from its start to accepting connections, positive
 * @param workingDir the directory the process starts in, as the file gives it; the planner resolves a
 *     relative one against the mesh file's directory
 * @param env environment variables of the process, in file order; none of {@link #RESERVED_ENV}; each value
 *     a {@code String}, or a {@link SecretRef} read on the host when the process starts
 * @param concurrency the most events one replica sends the function at once
 * @param maxWaiting how many calls may wait for a free slot before a synchronous call ({@code /functions/{name}})
 *     is refused; a trigger's deliveries always wait, bounded by their consumer
 */
public record CommandKind(List<String> command, OptionalInt port, Duration readiness, String workingDir,
    Map<String, ?> env, int concurrency, int maxWaiting) implements FunctionKind {

  /** The word of {@code port:} for a port picked at start, and its default, as in the schema. */
  public static final String AUTO_PORT = "auto";

  /** The highest port number. */
  public static final int MAX_PORT = 65_535;

  /** How long a process may take to get ready when the mesh file does not say, as in the schema. */
  public static final Duration DEFAULT_READINESS = Duration.ofSeconds(30);

  /** The working directory when the mesh file does not say, as in the schema: the mesh file's directory. */
  public static final String DEFAULT_WORKING_DIR = ".";

  /** The variables the mesh sets for every process, so {@code env:} may not set them; as in the schema. */
  public static final List<String> RESERVED_ENV = List.of("PORT", "FNMESH_FUNCTION", "FNMESH_REPLICA");

  /** The schema's pattern of an {@code env:} name, word for word. */
  public static final String ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

  private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_PATTERN);

  /** @throws IllegalArgumentException naming the field when a value is one the mesh file could not give */
  public CommandKind {
    command = List.copyOf(Objects.requireNonNull(command, "command"));
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(workingDir, "workingDir");
    if (command.isEmpty() || command.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("command must be a non-empty list of non-empty strings, got " + command);
    }
    if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > MAX_PORT)) {
      throw new IllegalArgumentException("port must be between 1 and " + MAX_PORT + ", got " + port.getAsInt());
    }
    if (readiness.isZero() || readiness.isNegative()) {
      throw new IllegalArgumentException("readiness must be positive, got " + readiness);
    }
    if (workingDir.isEmpty()) {
      throw new IllegalArgumentException("workingDir must not be empty");
    }
    // A LinkedHashMap copy, not Map.copyOf: the order of the file is kept for whoever prints the variables.
    Map<String, Object> copy = new LinkedHashMap<>(Objects.requireNonNull(env, "env"));
    copy.forEach((name, value) -> {
      if (!ENV_NAME.matcher(name).matches() || RESERVED_ENV.contains(name)) {
        throw new IllegalArgumentException("env name must match " + ENV_NAME_PATTERN + " and not be one of "
            + RESERVED_ENV + ", got \"" + name + "\"");
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
    return "command";
  }
}
