package dev.fnmesh.launcher.scaffold;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a Java function's jar with the JDK's own compiler, against the classes the host runs with (the
 * function API, Vert.x, the CloudEvents SDK): no Maven, no network, and the jar fits the host it is for.
 */
final class JarBuild {

  private JarBuild() {}

  /**
   * Compiles {@code project}'s {@code src/main/java}, adds its {@code src/main/resources}, writes the jar.
   *
   * @throws IllegalStateException naming what went wrong: no JDK compiler, or the compiler's messages
   */
  static void build(Path project, Path jar) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler here: fnmesh deploy needs a JDK, not only a JRE");
    }
    Path classes = Files.createTempDirectory("fnmesh-deploy");
    List<String> arguments = new ArrayList<>(List.of("--release", "17", "-encoding", "UTF-8", "-d", classes.toString(),
        "-classpath", System.getProperty("java.class.path")));
    try (Stream<Path> sources = Files.walk(project.resolve("src/main/java"))) {
      sources.filter(path -> path.toString().endsWith(".java")).forEach(path -> arguments.add(path.toString()));
    }
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int status = compiler.run(null, messages, messages, arguments.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("the function does not compile:\n" + messages.toString(StandardCharsets.UTF_8));
    }
    Files.createDirectories(jar.toAbsolutePath().getParent());
    // Written beside, then moved: the host swaps a jar it sees replaced, never one half written.
    Path partial = jar.resolveSibling(jar.getFileName() + ".partial");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(partial))) {
      add(out, classes);
      Path resources = project.resolve("src/main/resources");
      if (Files.isDirectory(resources)) {
        add(out, resources);
      }
    }
    Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void add(JarOutputStream out, Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(root.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out); // leaves the jar open for the next entry
        out.closeEntry();
      }
    }
  }
}
