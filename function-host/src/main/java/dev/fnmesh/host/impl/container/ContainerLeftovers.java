package dev.fnmesh.host.impl.container;

import dev.fnmesh.host.FunctionContainers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes the containers of image functions that a host killed with SIGKILL left behind: those labelled with
 * this data directory's owner whose host process is gone. Containers of a host still running on the same data
 * directory are kept.
 */
public final class ContainerLeftovers {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerLeftovers.class);

  private ContainerLeftovers() {}

  /**
   * Blocking (runs the engine): call at startup or on a worker. Never throws: a failure is logged, since a
   * leftover only holds a port of the loopback.
   *
   * @return the names of the containers removed
   */
  public static List<String> remove(FunctionContainers containers, Map<String, String> hostEnv) {
    if (containers.engine().isEmpty()) {
      return List.of();
    }
    String engine = containers.engine().get().toString();
    Map<String, String> env = ContainerEngines.variables(hostEnv);
    List<String> removed = new ArrayList<>();
    try {
      String listed = EngineCalls.run(List.of(engine, "ps", "--all", "--filter",
          "label=" + FunctionContainers.OWNER_LABEL + "=" + containers.owner(), "--format",
          // docker's ps gives the labels as text with a function to read one; podman's as a map.
          "{{.Names}} " + (ContainerEngines.isPodman(containers.engine().get())
              ? "{{index .Labels \"" + FunctionContainers.PID_LABEL + "\"}}"
              : "{{.Label \"" + FunctionContainers.PID_LABEL + "\"}}")), env);
      for (String line : listed.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
        String[] fields = line.split(" ");
        if (fields.length == 2 && !hostAlive(fields[1])) {
          EngineCalls.run(List.of(engine, "rm", "--force", fields[0]), env);
          removed.add(fields[0]);
        }
      }
      if (!removed.isEmpty()) {
        LOG.info("removed containers a stopped host left behind containers={}", removed);
      }
    } catch (IOException e) {
      LOG.warn("containers left behind not removed engine={} cause={}", engine, e.getMessage());
    }
    return removed;
  }

  private static boolean hostAlive(String pid) {
    try {
      long value = Long.parseLong(pid);
      return value != ProcessHandle.current().pid() && ProcessHandle.of(value).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
