package dev.fnmesh.host.impl.jar;

import dev.fnmesh.function.Function;
import dev.fnmesh.host.FunctionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * One version of a function jar, loaded by its own class loader: finds the functions the jar registers
 * through {@link ServiceLoader} by short name or class name, and any other class of the jar implementing
 * {@link Function} by its fully qualified name. Classes of the host come only through the parent given.
 */
public final class JarVersion implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JarVersion.class);

  private final String jarName;
  private final String sha256;
  private final URLClassLoader loader;
  // Filled on the first find, under this object's lock; the providers' constructors run the jar's code.
  private Map<String, Function> registered;
  private String registrationError;

  /**
   * @param jarName the jar's name in the functions directory, for messages
   * @param file a copy of the jar nobody replaces while this version lives
   * @param sha256 the hash of the jar's content, identifying the version
   * @param parent what the jar sees of the host
   */
  public JarVersion(String jarName, Path file, String sha256, ClassLoader parent) throws MalformedURLException {
    this.jarName = jarName;
    this.sha256 = sha256;
    this.loader = new URLClassLoader("fnmesh-jar:" + jarName, new URL[] {file.toUri().toURL()}, parent);
  }

  public String sha256() {
    return sha256;
  }

  /**
   * @param reference a short name or class name registered in the jar, or the name of a class of the jar
   * @return the function, or an error naming the jar, the reference and what is wrong
   */
  public synchronized FunctionRegistry.Lookup find(String reference) {
    loadRegistrations();
    if (registrationError != null) {
      return failure(registrationError);
    }
    Function function = registered.get(reference);
    if (function != null) {
      return new FunctionRegistry.Lookup(Optional.of(function), null);
    }
    // findResource looks in the jar alone: a class of the host is no function of this jar.
    if (loader.findResource(reference.replace('.', '/') + ".class") == null) {
      return failure("no class " + reference + " in jar " + jarName + ", and no function registered in it under that"
          + " name; registered in the jar: " + registered.keySet());
    }
    try {
      Class<?> type = Class.forName(reference, true, loader);
      if (!Function.class.isAssignableFrom(type)) {
        return failure("class '" + reference + "' in jar " + jarName + " does not implement "
            + Function.class.getName());
      }
      return new FunctionRegistry.Lookup(Optional.of((Function) type.getDeclaredConstructor().newInstance()), null);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      return failure("class '" + reference + "' in jar " + jarName + " could not be instantiated with a public"
          + " no-argument constructor: " + cause);
    }
  }

  private void loadRegistrations() {
    if (registered != null) {
      return;
    }
    registered = new TreeMap<>();
    try {
      for (Function function : ServiceLoader.load(Function.class, loader)) {
        registered.put(function.name(), function);
        registered.put(function.getClass().getName(), function);
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      registrationError = "jar " + jarName + ": its registration in META-INF/services/" + Function.class.getName()
          + " failed: " + e.getMessage();
    }
  }

  /** Closes the class loader: functions of this version can no longer load classes. */
  @Override
  public void close() {
    try {
      loader.close();
    } catch (IOException e) {
      LOG.warn("jar class loader not closed jar={} sha256={} error=\"{}\"", jarName, sha256, e.toString());
    }
  }

  private static FunctionRegistry.Lookup failure(String error) {
    return new FunctionRegistry.Lookup(Optional.empty(), error);
  }
}
