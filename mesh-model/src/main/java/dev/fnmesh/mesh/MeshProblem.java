package dev.fnmesh.mesh;

import java.util.Objects;

/**
 * One thing wrong with a mesh file, located well enough to fix it from the message alone.
 *
 * @param source the file the problem is in, as given to the loader
 * @param line the 1-based line of the offending key or value; 0 when the problem has no position, such as
 *     a file that cannot be read
 * @param column the 1-based column of the offending key or value; 0 when the problem has no position
 * @param key the dotted path of the offending key, such as {@code triggers.greet.kafka.partitions}, with
 *     list items as {@code [0]}; empty for the file as a whole
 * @param message what is wrong and what is expected, naming the value found
 */
public record MeshProblem(String source, int line, int column, String key, String message) {

  public MeshProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  /** {@code source:line:column: key: message}, the form compilers use, so editors and terminals link it. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (line > 0) {
      text.append(':').append(line).append(':').append(column);
    }
    text.append(": ");
    if (!key.isEmpty()) {
      text.append(key).append(": ");
    }
    return text.append(message).toString();
  }
}
