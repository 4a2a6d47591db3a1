package dev.fnmesh.mesh;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A function that runs in the mesh's own process: {@code java:}, optionally from a jar of the functions
 * directory.
 *
 * @param className the registered short name or fully qualified class name of the Java function
 * @param blocking whether the function may block and so runs on a worker thread
 * @param jar the jar holding the class, relative to the functions directory ({@code --functions-dir});
 *     empty when the class is on the classpath
 */
public record JavaKind(String className, boolean blocking, Optional<String> jar) implements FunctionKind {

  /** Whether a function blocks when the mesh file does not say; the schema declares the same default. */
  public static final boolean DEFAULT_BLOCKING = false;

  /**
   * The schema's pattern of {@code jar:}, word for word: a relative path ending in {@code .jar} whose every
   * segment starts with a letter, digit, '_' or '-', so it can name neither an absolute path nor {@code ..}.
   */
  public static final String JAR_PATTERN = "^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\\.jar$";

  private static final Pattern JAR = Pattern.compile(JAR_PATTERN);

  /**
   * The schema's pattern of {@code java:}, found as the schema validator finds it: spaces are the ASCII white
   * space of {@code \s}, so that a control character such as U+001C, which {@link Character#isWhitespace}
   * also counts, passes both rather than only the schema.
   */
  private static final Pattern CLASS_NAME = Pattern.compile("^\\S+$");

  /**
   * @throws IllegalArgumentException when the class name is empty or has spaces, or the jar breaks
   *     {@link #JAR_PATTERN}
   */
  public JavaKind {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(jar, "jar");
    if (!CLASS_NAME.matcher(className).find()) {
      throw new IllegalArgumentException("java must be a class name without spaces, got \"" + className + "\"");
    }
    if (jar.isPresent() && !JAR.matcher(jar.get()).matches()) {
      throw new IllegalArgumentException("jar must be a relative path ending in .jar without '.' or '..' "
          + "segments, got \"" + jar.get() + "\"");
    }
  }

  @Override
  public String yamlName() {
    return "java";
  }
}
