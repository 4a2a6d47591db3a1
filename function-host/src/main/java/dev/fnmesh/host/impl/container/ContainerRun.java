package dev.fnmesh.host.impl.container;

import dev.fnmesh.host.FunctionContainers;
import dev.fnmesh.mesh.ImageKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine command line that runs one replica of an image function, locked down: its root file system
 * read-only (a small {@code /tmp} in memory), every capability dropped, no privilege gained by exec, a user
 * other than root, the memory limit of the mesh file, its port published on 127.0.0.1 only. The values of its
 * {@code env:} are not on the line: {@code --env NAME} makes the engine copy them from its own environment,
 * where secrets cannot be read by {@code ps}.
 *
 * @param engine the podman or docker program
 * @param name the container's name
 * @param owner the {@link FunctionContainers#OWNER_LABEL} of this host's containers
 * @param hostPid the {@link FunctionContainers#PID_LABEL}: this host's pid
 */
record ContainerRun(Path engine, String name, String owner, long hostPid) {

  /** The size of the writable {@code /tmp} every container gets beside its read-only root. */
  static final String TMP = "/tmp:rw,size=64m,mode=1777";

  /** The engine's arguments to run {@code kind} for replica {@code replica}, reached on 127.0.0.1:{@code hostPort}. */
  List<String> command(String functionName, ImageKind kind, int replica, int hostPort) {
    List<String> args = new ArrayList<>(List.of(engine.toString(), "run", "--rm", "--name=" + name));
    if (ContainerEngines.isPodman(engine)) {
      // A container of this name a killed engine left behind is replaced rather than failing the start.
      args.add("--replace");
    }
    args.addAll(List.of(
        "--label=" + FunctionContainers.OWNER_LABEL + "=" + owner,
        "--label=" + FunctionContainers.PID_LABEL + "=" + hostPid,
        "--label=" + FunctionContainers.FUNCTION_LABEL + "=" + functionName,
        "--read-only", "--tmpfs=" + TMP, "--cap-drop=ALL", "--security-opt=no-new-privileges",
        "--user=" + kind.user()));
    kind.engineMemory().ifPresent(memory -> args.add("--memory=" + memory));
    args.addAll(List.of(
        "--publish=127.0.0.1:" + hostPort + ":" + kind.port(),
        "--env=PORT=" + kind.port(),
        "--env=FNMESH_FUNCTION=" + functionName,
        "--env=FNMESH_REPLICA=" + replica));
    kind.env().keySet().forEach(variable -> args.add("--env=" + variable));
    args.add(kind.image());
    return args;
  }

  /** The engine's arguments that remove the container, whether it still runs or not. */
  List<String> remove() {
    return List.of(engine.toString(), "rm", "--force", name);
  }
}
