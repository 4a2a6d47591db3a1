package dev.fnmesh.mesh;

import java.util.List;

/**
 * A mesh file that cannot be used. It carries every problem found, not only the first, so that a user fixes
 * the file in one pass; the message lists them one per line.
 */
public final class InvalidMeshException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<MeshProblem> problems;

  /** @param problems what is wrong, at least one, in the order to report them */
  public InvalidMeshException(List<MeshProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. */
  public List<MeshProblem> problems() {
    return problems;
  }

  private static String message(List<MeshProblem> problems) {
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
