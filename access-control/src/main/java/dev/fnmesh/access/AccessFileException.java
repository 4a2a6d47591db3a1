package dev.fnmesh.access;

import dev.fnmesh.mesh.MeshProblem;

import java.util.List;

/** An access file that cannot be used, with every problem found, each at its line and key. */
public final class AccessFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<MeshProblem> problems;

  /** @param problems what is wrong, at least one, in the order to report them */
  public AccessFileException(List<MeshProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<MeshProblem> problems() {
    return problems;
  }

  private static String message(List<MeshProblem> problems) {
    StringBuilder text = new StringBuilder("invalid access file, ")
        .append(problems.size()).append(problems.size() == 1 ? " problem:" : " problems:");
    problems.forEach(problem -> text.append(System.lineSeparator()).append(problem));
    return text.toString();
  }
}
