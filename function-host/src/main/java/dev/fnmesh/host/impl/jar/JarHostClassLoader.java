package dev.fnmesh.host.impl.jar;

import java.util.List;

/**
 * The part of the host a function jar sees: the Java platform, plus the function API, Vert.x, Netty, the
 * CloudEvents SDK and SLF4J from the host's class loader. The host's other libraries (Jackson, Kafka, ...)
 * stay invisible, so a jar bundles its own versions of them without clashing with the host's.
 */
public final class JarHostClassLoader extends ClassLoader {

  /** Package prefixes whose classes come from the host; the types a function exchanges with it live here. */
  public static final List<String> EXPOSED_PACKAGES =
      List.of("dev.fnmesh.function.", "io.vertx.", "io.netty.", "io.cloudevents.", "org.slf4j.");

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader host;

  /** @param host the class loader that has the function API, e.g. {@code Function.class.getClassLoader()} */
  public JarHostClassLoader(ClassLoader host) {
    // Resources and every class outside the exposed packages come from the platform only.
    super("fnmesh-jar-parent", ClassLoader.getPlatformClassLoader());
    this.host = host;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    for (String exposed : EXPOSED_PACKAGES) {
      if (name.startsWith(exposed)) {
        return host.loadClass(name);
      }
    }
    return super.loadClass(name, resolve);
  }
}
