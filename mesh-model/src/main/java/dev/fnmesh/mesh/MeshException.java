package dev.fnmesh.mesh;

import java.util.List;

/**
 * A mesh that cannot run, and why: its {@link Kind} says whether the file itself is wrong or this process
 * lacks what it needs, and each problem names the key it is about. An invalid file carries every problem
 * found, not only the first, so that a user fixes it in one pass; the message lists them one per line.
 */
public final class MeshException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a mesh cannot run. */
  public enum Kind {
    /** The file breaks the schema or a rule of the mesh: no process could run it. */
    INVALID,
    /** The file is valid, but this process cannot run it: a function, jar, schema or secret it names is missing here. */
    CANNOT_RUN_HERE,
    /** The file is valid, but may not come the way it came: a {@code command:} function sent over HTTP. */
    NOT_ALLOWED
  }

  private final Kind kind;
  private final transient List<MeshProblem> problems;

  /** An invalid mesh file. @param problems what is wrong, at least one, in the order to report them */
  public MeshException(List<MeshProblem> problems) {
    this(Kind.INVALID, problems, invalidMessage(problems), null);
  }

  private MeshException(Kind kind, List<MeshProblem> problems, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.problems = List.copyOf(problems);
  }

  /**
   * A valid mesh this process cannot run.
   *
   * @param key the dotted key of what is missing, such as {@code functions.resize} or {@code triggers.orders}
   * @param message what is missing and where it was looked for, naming the function or trigger
   */
  public static MeshException cannotRunHere(String key, String message, Throwable cause) {
    // No file position: what is missing is missing here, wherever the key stands in the file.
    return new MeshException(Kind.CANNOT_RUN_HERE, List.of(new MeshProblem("", 0, 0, key, message)), message, cause);
  }

  /**
   * A valid mesh that may not be run from where it came.
   *
   * @param key the dotted key of what is not allowed, such as {@code functions.build.command}
   * @param message what is not allowed and how to allow it
   */
  public static MeshException notAllowed(String key, String message) {
    return new MeshException(Kind.NOT_ALLOWED, List.of(new MeshProblem("", 0, 0, key, message)), message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** Every problem found, in file order. */
  public List<MeshProblem> problems() {
    return problems;
  }

  private static String invalidMessage(List<MeshProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid mesh has at least one problem");
    }
    StringBuilder text = new StringBuilder("invalid mesh file, ")
        .append(problems.size()).append(problems.size() == 1 ? " problem:" : " problems:");
    for (MeshProblem problem : problems) {
      text.append(System.lineSeparator()).append(problem);
    }
    return text.toString();
  }
}
