package dev.fnmesh.host;

import dev.fnmesh.function.Function;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.vertx.core.Vertx;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds function jars while a test runs: compiles Java sources against the function API, Vert.x and the
 * CloudEvents SDK with the JDK's compiler and writes the classes, plus any resources, into a jar.
 */
final class TestJars {

  private TestJars() {}

  /**
   * Writes a jar to {@code jar}, replacing the file in place when it exists, as {@code cp} does.
   *
   * @param sources Java sources by fully qualified class name
   * @param resources extra entries by path, e.g. {@code META-INF/services/dev.fnmesh.function.Function}
   */
  static Path write(Path jar, Map<String, String> sources, Map<String, String> resources) throws IOException {
    Path work = Files.createTempDirectory("fnmesh-test-jar-");
    try {
      Path classes = compile(work, sources);
      Files.createDirectories(jar.getParent());
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
           Stream<Path> files = Files.walk(classes)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(file));
          out.closeEntry();
        }
        for (Map.Entry<String, String> resource : resources.entrySet()) {
          out.putNextEntry(new JarEntry(resource.getKey()));
          out.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
          out.closeEntry();
        }
      }
      return jar;
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private static Path compile(Path work, Map<String, String> sources) throws IOException {
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> arguments =
        new ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-classpath", apiClassPath()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    if (compiler.run(null, errors, errors, arguments.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("test sources did not compile: " + errors.toString(StandardCharsets.UTF_8));
    }
    return classes;
  }

  /**
   * A function class that replies with the event, its data replaced by text.
   *
   * @param answer a Java expression of type String, e.g. {@code "\"v1\""} or {@code "Text.value()"}
   */
  static String answering(String className, String answer) {
    return answering(className, answer, "");
  }

  /** As {@link #answering(String, String)}, with more members (constructors, methods) in the class body. */
  static String answering(String className, String answer, String members) {
    int dot = className.lastIndexOf('.');
    return """
        package %s;

        import dev.fnmesh.function.Function;
        import dev.fnmesh.function.FunctionContext;
        import io.cloudevents.CloudEvent;
        import io.cloudevents.core.builder.CloudEventBuilder;
        import io.vertx.core.Future;

        public final class %s implements Function {
          @Override
          public Future<CloudEvent> apply(CloudEvent event, FunctionContext context) {
            return Future.succeededFuture(CloudEventBuilder.v1(event)
                .withData("text/plain", %s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build());
          }

          %s
        }
        """.formatted(className.substring(0, dot), className.substring(dot + 1), answer, members);
  }

  // The jars holding the function API and the types its signatures use; nothing else of the host.
  private static String apiClassPath() {
    return Stream.of(Function.class, CloudEvent.class, CloudEventBuilder.class, Vertx.class)
        .map(TestJars::location)
        .distinct()
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
