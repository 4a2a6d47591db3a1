package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import dev.fnmesh.host.impl.jar.JarHostClassLoader;
import dev.fnmesh.host.impl.jar.JarSnapshots;
import dev.fnmesh.host.impl.jar.JarVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipException;

/**
 * Finds Java functions in jars of a functions directory. Each version of a jar gets its own class loader,
 * which sees the function API, Vert.x, Netty, the CloudEvents SDK and SLF4J of the host and nothing else
 * of it, so jars never see each other's classes nor the host's other libraries.
 *
 * <p>A jar is loaded from a private copy, identified by the SHA-256 of its content: replacing the file
 * (even in place, as {@code cp} does) never disturbs functions already loaded from it, and the next
 * {@link #find} loads the new version. Loaders of earlier versions stay open, because triggers may still
 * run their functions, until {@link #close()}; a host that replaces jars very often holds one loader per
 * version it has seen.
 */
public final class JarFunctions implements AutoCloseable {

  /** The jar names the mesh file accepts: a relative path without '.' or '..' folders, ending in .jar. */
  public static final Pattern JAR_NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\\.jar");

  private static final Logger LOG = LoggerFactory.getLogger(JarFunctions.class);

  private final Path functionsDir;
  private final ClassLoader hostView = new JarHostClassLoader(Function.class.getClassLoader());
  private final JarSnapshots snapshots = new JarSnapshots();
  private final Map<String, JarVersion> current = new HashMap<>();
  private final List<JarVersion> loaded = new ArrayList<>();
  private boolean closed;

  public JarFunctions(Path functionsDir) {
    this.functionsDir = functionsDir.toAbsolutePath().normalize();
  }

  public Path functionsDir() {
    return functionsDir;
  }

  /**
   * Finds a function in a jar: by the short name or class name it registers in the jar's
   * {@code META-INF/services/dev.fnmesh.function.Function}, or by the name of any class of the jar that
   * implements it. Reads the jar file, so call it off the event loop, as the mesh is planned.
   *
   * @param jarName the jar's path relative to the functions directory, e.g. {@code resize.jar}
   * @param reference a short name registered in the jar or a fully qualified class name in the jar
   * @return the function, or an error naming the jar, the class and what is wrong
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized FunctionRegistry.Lookup find(String jarName, String reference) {
    if (closed) {
      throw new IllegalStateException("jar functions of " + functionsDir + " are closed");
    }
    if (jarName == null || !JAR_NAME.matcher(jarName).matches()) {
      return failure("jar: must be the relative path of a .jar file in the functions directory, such as resize.jar,"
          + " without a leading '/' or any '.' or '..' folder, got '" + jarName + "'");
    }
    if (reference == null || reference.isBlank()) {
      return failure("java: must be a registered Java function name or a fully qualified class name, got '"
          + reference + "'");
    }
    Path jar = functionsDir.resolve(jarName).normalize();
    if (!jar.startsWith(functionsDir) || !Files.isRegularFile(jar)) {
      return failure("no jar " + jarName + " in functions directory " + functionsDir);
    }
    try {
      return versionOf(jarName, jar).find(reference);
    } catch (ZipException e) {
      return failure("jar " + jarName + " in functions directory " + functionsDir + " is no valid jar file: "
          + e.getMessage());
    } catch (IOException e) {
      return failure("jar " + jarName + " in functions directory " + functionsDir + " could not be read: " + e);
    }
  }

  private JarVersion versionOf(String jarName, Path jar) throws IOException {
    JarVersion known = current.get(jarName);
    if (known != null && known.sha256().equals(JarSnapshots.sha256(jar))) {
      return known;
    }
    JarSnapshots.Snapshot snapshot = snapshots.copy(jar);
    JarVersion version = new JarVersion(jarName, snapshot.file(), snapshot.sha256(), hostView);
    loaded.add(version);
    current.put(jarName, version);
    LOG.info("jar loaded jar={} sha256={} versionsLoaded={}", jarName, snapshot.sha256(), loaded.size());
    return version;
  }

  /** Closes every class loader this opened and deletes the copies of the jars; functions found stop working. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    loaded.forEach(JarVersion::close);
    loaded.clear();
    current.clear();
    snapshots.delete();
  }

  private static FunctionRegistry.Lookup failure(String error) {
    return new FunctionRegistry.Lookup(Optional.empty(), error);
  }
}
