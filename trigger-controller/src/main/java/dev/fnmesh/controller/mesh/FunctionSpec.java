package dev.fnmesh.controller.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A function of the mesh file. Today every function is a Java function; other kinds will be other fields.
 *
 * @param name the function's name, a DNS-label-like key of {@code functions:}
 * @param java the registered short name or fully qualified class name of the Java function
 * @param blocking whether the function may block and so runs on a worker thread
 * @param config the function's {@code config:} block, in file order, empty when absent; values are
 *     strings, numbers, booleans, lists and maps as YAML gives them, never {@code null} at the top level
 */
public record FunctionSpec(String name, String java, boolean blocking, Map<String, Object> config) {

  /** Whether a function blocks when the mesh file does not say; the schema declares the same default. */
  public static final boolean DEFAULT_BLOCKING = false;

  public FunctionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(java, "java");
    // A LinkedHashMap copy, not Map.copyOf: the order of the file is kept for whoever prints the config.
    config = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(config, "config")));
  }
}
