package dev.fnmesh.host;

import dev.fnmesh.broker.webhook.SecretResolver;
import dev.fnmesh.mesh.MeshException;
import dev.fnmesh.mesh.SecretRef;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the secrets a function's {@code env:} and {@code config:} name ({@link SecretRef}) on the host that
 * runs the function, as an instance of it starts: the mesh, its text and its API answers carry only the
 * references. Reads files, so never call it on an event loop. The values it returns are secrets: they go to
 * the function and nowhere else, in no log line and no message.
 */
public final class FunctionSecrets {

  private final SecretResolver resolver;

  /** @param resolver reads one reference: an environment variable of this process, or a file */
  public FunctionSecrets(SecretResolver resolver) {
    this.resolver = resolver;
  }

  /** Secrets from this process's environment and files. */
  public static FunctionSecrets system() {
    return new FunctionSecrets(SecretResolver.system());
  }

  /** Whether any value is a reference, so that something must be read before the function starts. */
  public static boolean refersToSecrets(Map<String, ?> values) {
    return values.values().stream().anyMatch(SecretRef.class::isInstance);
  }

  /**
   * The variables of a process function's {@code env:}, each reference replaced by the secret it names.
   *
   * @param env the declared variables: strings and {@link SecretRef}s
   * @return the variables in the declared order
   * @throws MeshException of kind cannot-run-here at {@code functions.<name>.env.<VAR>} when a secret is not
   *     set, cannot be read or is empty
   */
  public Map<String, String> env(String functionName, Map<String, ?> env) {
    Map<String, String> values = new LinkedHashMap<>();
    env.forEach((name, value) -> values.put(name, value instanceof SecretRef ref
        ? read(functionName, "env." + name, ref) : (String) value));
    return Collections.unmodifiableMap(values);
  }

  /**
   * A function's {@code config:}, each top-level reference replaced by the secret it names as a string.
   *
   * @throws MeshException of kind cannot-run-here at {@code functions.<name>.config.<key>} when a secret is
   *     not set, cannot be read or is empty
   */
  public Map<String, Object> config(String functionName, Map<String, Object> config) {
    Map<String, Object> values = new LinkedHashMap<>();
    config.forEach((key, value) -> values.put(key, value instanceof SecretRef ref
        ? read(functionName, "config." + key, ref) : value));
    return Collections.unmodifiableMap(values);
  }

  private String read(String functionName, String key, SecretRef ref) {
    String field = "functions." + functionName + "." + key;
    try {
      return new String(resolver.resolve(ref), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // The message names the variable or the file, never a value: there is none to name.
      throw MeshException.cannotRunHere(field, "function '" + functionName + "' cannot start here: " + field + ": "
          + e.getMessage(), e);
    }
  }
}
