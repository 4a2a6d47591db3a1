package dev.fnmesh.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A function of the mesh file: its name, how it runs and the configuration handed to it.
 *
 * @param name the function's name, a DNS-label-like key of {@code functions:}
 * @param kind how the function runs: a {@link JavaKind}, {@link HttpKind}, {@link CommandKind} or {@link ImageKind}
 * @param config the function's {@code config:} block, in file order, empty when absent; values are
 *     strings, numbers, booleans, lists and maps as YAML gives them, never {@code null} at the top level; a
 *     top-level value written {@code { env: NAME }} or {@code { file: PATH }} is a {@link SecretRef}, read on
 *     the host when the function starts
 */
public record FunctionSpec(String name, FunctionKind kind, Map<String, Object> config) {

  public FunctionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    // A LinkedHashMap copy, not Map.copyOf: the order of the file is kept for whoever prints the config.
    config = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(config, "config")));
  }
}
