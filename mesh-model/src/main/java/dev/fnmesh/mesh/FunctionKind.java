package dev.fnmesh.mesh;

/**
 * How a function runs: exactly one kind key of the function in the mesh file. A {@link JavaKind} runs in the
 * mesh's own process, an {@link HttpKind} is reached at a URL, a {@link CommandKind} is a process the mesh
 * starts and reaches over HTTP, an {@link ImageKind} is an HTTP server in a container of its own.
 */
public sealed interface FunctionKind permits JavaKind, HttpKind, CommandKind, ImageKind {

  /** The events an http or command function handles at once when the file does not say, as in the schema. */
  int DEFAULT_CONCURRENCY = 100;

  /** The most events at once the mesh file accepts for an http or command function, as in the schema. */
  int MAX_CONCURRENCY = 10_000;

  /**
   * The synchronous calls ({@code /functions/{name}}) an http or command function lets wait beyond its
   * concurrency when the file does not say, as in the schema; more are refused with 503.
   */
  int DEFAULT_MAX_WAITING = 100;

  /** The most waiting calls the mesh file accepts for an http or command function, as in the schema. */
  int MAX_MAX_WAITING = 100_000;

  /** The key that declares this kind in the mesh file: {@code java}, {@code http}, {@code command} or {@code image}. */
  String yamlName();

  /**
   * Refuses a concurrency outside the range of the schema, for every kind that has one.
   *
   * @throws IllegalArgumentException when it is below 1 or above {@link #MAX_CONCURRENCY}
   */
  static void checkConcurrency(int concurrency) {
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
    }
  }

  /**
   * Refuses a bound on waiting calls outside the range of the schema, for every kind that has one.
   *
   * @throws IllegalArgumentException when it is below 0 or above {@link #MAX_MAX_WAITING}
   */
  static void checkMaxWaiting(int maxWaiting) {
    if (maxWaiting < 0 || maxWaiting > MAX_MAX_WAITING) {
      throw new IllegalArgumentException(
          "maxWaiting must be between 0 and " + MAX_MAX_WAITING + ", got " + maxWaiting);
    }
  }
}
