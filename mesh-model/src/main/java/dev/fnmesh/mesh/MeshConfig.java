package dev.fnmesh.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated mesh file: its functions and triggers by name, in the order of the file. Every trigger's
 * function is one of the functions.
 *
 * @param functions the functions by name, unmodifiable
 * @param triggers the triggers by name, unmodifiable, empty when the file declares none
 */
public record MeshConfig(Map<String, FunctionSpec> functions, Map<String, TriggerSpec> triggers) {

  public MeshConfig {
    functions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(functions, "functions")));
    triggers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(triggers, "triggers")));
  }
}
