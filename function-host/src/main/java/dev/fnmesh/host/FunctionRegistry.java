package dev.fnmesh.host;

import dev.fnmesh.function.Function;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds Java functions: those registered through {@link ServiceLoader} by their short name or class
 * name, and any other class implementing {@link Function} by its fully qualified name.
 */
public final class FunctionRegistry {

  private final ClassLoader classLoader;
  private final Map<String, Function> registered = new TreeMap<>();

  public FunctionRegistry(ClassLoader classLoader) {
    this.classLoader = classLoader;
    for (Function function : ServiceLoader.load(Function.class, classLoader)) {
      registered.put(function.name(), function);
      registered.put(function.getClass().getName(), function);
    }
  }

  /** @return the registered short names and class names, sorted, for error messages */
  public java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(registered.keySet());
  }

  /**
   * @param reference a registered short name or a fully qualified class name
   * @return the function, or an error message naming what was looked for and what exists
   */
  public Lookup find(String reference) {
    Function function = registered.get(reference);
    if (function != null) {
      return new Lookup(Optional.of(function), null);
    }
    try {
      Class<?> type = Class.forName(reference, true, classLoader);
      if (!Function.class.isAssignableFrom(type)) {
        return new Lookup(Optional.empty(), "class '" + reference + "' does not implement " + Function.class.getName());
      }
      return new Lookup(Optional.of((Function) type.getDeclaredConstructor().newInstance()), null);
    } catch (ClassNotFoundException e) {
      return new Lookup(Optional.empty(), "no Java function named '" + reference + "'; registered: " + registered.keySet());
    } catch (ReflectiveOperationException | LinkageError e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      return new Lookup(Optional.empty(), "class '" + reference + "' could not be instantiated with a public no-argument"
          + " constructor: " + cause);
    }
  }

  /** The result of a lookup: the function, or why there is none. */
  public record Lookup(Optional<Function> function, String error) {}
}
