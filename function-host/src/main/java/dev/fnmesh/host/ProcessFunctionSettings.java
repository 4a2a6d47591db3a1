package dev.fnmesh.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A function in any language run as a child process of the host, one per trigger replica, and called
 * with CloudEvents over HTTP on {@code http://127.0.0.1:$PORT/} in binary mode. The process must listen
 * on the port given in its {@code PORT} environment variable, on 127.0.0.1 or on every interface.
 *
 * @param command the program and its arguments, not run through a shell
 * @param port empty picks a free port for every replica; a fixed port {@code p} gives replica {@code n}
 *     the port {@code p + n}, so several replicas on one host never collide
 * @param readiness how long a started process has to accept TCP connections on its port (default
 *     {@link #DEFAULT_READINESS})
 * @param workingDir the directory the command runs in
 * @param env variables added to the host's environment for the process; {@code PORT},
 *     {@code FNMESH_FUNCTION} and {@code FNMESH_REPLICA} are set by the host and cannot be overridden
 * @param concurrency requests in flight at once per process; more wait in a queue (default
 *     {@value HttpFunctionSettings#DEFAULT_CONCURRENCY})
 */
public record ProcessFunctionSettings(
    List<String> command,
    OptionalInt port,
    Duration readiness,
    Path workingDir,
    Map<String, String> env,
    int concurrency) {

  public static final Duration DEFAULT_READINESS = Duration.ofSeconds(30);
  /** The variables the host sets itself. */
  public static final List<String> RESERVED_ENV = List.of("PORT", "FNMESH_FUNCTION", "FNMESH_REPLICA");

  public ProcessFunctionSettings {
    if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()
        || command.stream().anyMatch(argument -> argument == null)) {
      throw new IllegalArgumentException("command: must be a program followed by its arguments, none null, got "
          + command);
    }
    command = List.copyOf(command);
    port = port == null ? OptionalInt.empty() : port;
    if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
      throw new IllegalArgumentException("port: must be 'auto' or an integer between 1 and 65535, got "
          + port.getAsInt());
    }
    if (readiness == null || readiness.isNegative() || readiness.isZero()) {
      throw new IllegalArgumentException("readiness: must be a positive duration, got " + readiness);
    }
    if (workingDir == null) {
      throw new IllegalArgumentException("workingDir: must be a directory, got null");
    }
    env = Map.copyOf(env == null ? Map.of() : env);
    for (String reserved : RESERVED_ENV) {
      if (env.containsKey(reserved)) {
        throw new IllegalArgumentException("env." + reserved + ": is set by the host for every replica and cannot be"
            + " configured");
      }
    }
    if (concurrency < 1 || concurrency > HttpFunctionSettings.MAX_CONCURRENCY) {
      throw new IllegalArgumentException("concurrency: must be an integer between 1 and "
          + HttpFunctionSettings.MAX_CONCURRENCY + ", got " + concurrency);
    }
  }

  /** An automatic port, the default readiness and concurrency, the host's working directory, no extra env. */
  public static ProcessFunctionSettings of(List<String> command) {
    return new ProcessFunctionSettings(command, OptionalInt.empty(), DEFAULT_READINESS, Path.of("").toAbsolutePath(),
        Map.of(), HttpFunctionSettings.DEFAULT_CONCURRENCY);
  }

  public ProcessFunctionSettings withPort(int newPort) {
    return new ProcessFunctionSettings(command, OptionalInt.of(newPort), readiness, workingDir, env, concurrency);
  }

  public ProcessFunctionSettings withReadiness(Duration newReadiness) {
    return new ProcessFunctionSettings(command, port, newReadiness, workingDir, env, concurrency);
  }

  public ProcessFunctionSettings withWorkingDir(Path newWorkingDir) {
    return new ProcessFunctionSettings(command, port, readiness, newWorkingDir, env, concurrency);
  }

  public ProcessFunctionSettings withEnv(Map<String, String> newEnv) {
    return new ProcessFunctionSettings(command, port, readiness, workingDir, newEnv, concurrency);
  }
}
