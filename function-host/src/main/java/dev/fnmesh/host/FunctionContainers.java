package dev.fnmesh.host;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where this host's image functions run: in containers it starts with a container engine, or, for those named in
 * {@code runningAt}, already running where it is told (a sidecar of its pod, a compose service), since a host
 * inside a container cannot start containers.
 *
 * @param engine the podman or docker program that starts containers, empty when none was found
 * @param looked what was looked for when no engine was found, as a message says it ("looked for podman and docker
 *     on PATH")
 * @param runningAt the base URL of each image function that runs already, by function name
 * @param owner the label value that marks this host's containers (a digest of its data directory), so that a
 *     later start on the same data directory removes those a killed run left behind
 * @param planOnly whether this process only plans meshes and runs no function (a controller): an image function
 *     is then accepted without an engine, since the hosts run it
 */
public record FunctionContainers(Optional<Path> engine, String looked, Map<String, URI> runningAt, String owner,
    boolean planOnly) {

  /** The label marking the containers of one data directory. */
  public static final String OWNER_LABEL = "dev.fnmesh.owner";
  /** The label holding the pid of the host that started a container. */
  public static final String PID_LABEL = "dev.fnmesh.pid";
  /** The label holding the function a container runs. */
  public static final String FUNCTION_LABEL = "dev.fnmesh.function";

  /** For a process that plans meshes for hosts and runs no function itself. */
  public static final FunctionContainers PLAN_ONLY =
      new FunctionContainers(Optional.empty(), "nothing", Map.of(), "none", true);

  public FunctionContainers {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(looked, "looked");
    runningAt = Map.copyOf(Objects.requireNonNull(runningAt, "runningAt"));
    Objects.requireNonNull(owner, "owner");
    runningAt.forEach((name, url) -> {
      if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
        throw new IllegalArgumentException("the URL of function '" + name + "' must be an absolute http or https URL"
            + " such as http://127.0.0.1:8000, got " + url);
      }
    });
  }
}
