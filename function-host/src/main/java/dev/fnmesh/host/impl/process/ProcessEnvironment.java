package dev.fnmesh.host.impl.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a function process starts with: a few variables of the host that programs need to run,
 * the function's declared {@code env:} and fnmesh's own. Nothing else of the host's is passed on, since
 * the host's environment holds its own secrets (cloud credentials, the cluster key, database passwords).
 */
final class ProcessEnvironment {

  /** The host's variables a process gets, each only when the host has it. */
  static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR");

  private ProcessEnvironment() {}

  /**
   * @param host the host's environment, as {@link System#getenv()} gives it
   * @param declared the function's {@code env:}, its secrets read
   * @return the inherited variables, then the declared ones (which may replace them), then {@code PORT},
   *     {@code FNMESH_FUNCTION} and {@code FNMESH_REPLICA}
   */
  static Map<String, String> of(Map<String, String> host, Map<String, String> declared, String functionName,
      int replica, int port) {
    Map<String, String> environment = new LinkedHashMap<>();
    INHERITED.stream().filter(host::containsKey).forEach(name -> environment.put(name, host.get(name)));
    environment.putAll(declared);
    environment.put("PORT", Integer.toString(port));
    environment.put("FNMESH_FUNCTION", functionName);
    environment.put("FNMESH_REPLICA", Integer.toString(replica));
    return environment;
  }
}
